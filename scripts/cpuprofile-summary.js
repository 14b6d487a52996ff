#!/usr/bin/env node
/**
 * Summarises a V8 .cpuprofile (node --cpu-prof) without any outside tool:
 *
 *   node scripts/cpuprofile-summary.js <file.cpuprofile> [--from=<seconds>|--last=<seconds>] [--to=<seconds>] [--collapsed=<out.txt>]
 *
 * prints the top functions by self time and by total (inclusive) time, and with --collapsed writes
 * the samples as collapsed stacks ("a;b;c <count>", the input of flamegraph.pl / speedscope).
 * --from skips the first seconds of the profile (start-up), so only serving is counted; --to stops
 * counting there (start-up alone: --to=<launch seconds>).
 */
const fs = require('fs');
const path = require('path');

const [file, ...rest] = process.argv.slice(2);
const option = (name) => rest.find((arg) => arg.startsWith(`--${name}=`))?.split('=')[1];
if (!file) {
  console.error(
    'usage: cpuprofile-summary.js <file.cpuprofile> [--from=<seconds>|--last=<seconds>] [--to=<seconds>] [--collapsed=<out.txt>]',
  );
  process.exit(2);
}
const profile = JSON.parse(fs.readFileSync(file, 'utf8'));
const duration = profile.timeDeltas.reduce((sum, delta) => sum + delta, 0);
// --last=<seconds>: only the end of the profile (the load), whatever start-up took.
const from = option('last') ? duration - Number(option('last')) * 1e6 : Number(option('from') ?? 0) * 1e6;
const to = option('to') ? Number(option('to')) * 1e6 : Infinity;
const root = process.cwd();

const byId = new Map(profile.nodes.map((node) => [node.id, node]));
const parent = new Map();
for (const node of profile.nodes) for (const child of node.children ?? []) parent.set(child, node.id);

const label = ({ callFrame: { functionName, url, lineNumber } }) => {
  const where = url ? path.relative(root, url.replace(/^file:\/\//, '')).replace(/^node_modules\//, '~/') : '';
  return `${functionName || '(anonymous)'}${where ? ` ${where}:${lineNumber + 1}` : ''}`;
};

const self = new Map();
const total = new Map();
const stacks = new Map();
let counted = 0;
let idle = 0;
let time = profile.startTime;
profile.samples.forEach((id, index) => {
  time += profile.timeDeltas[index];
  if (time - profile.startTime < from || time - profile.startTime > to) return;
  const node = byId.get(id);
  if (node.callFrame.functionName === '(idle)') {
    idle += 1;
    return;
  }
  counted += 1;
  const frames = [];
  for (let at = id; at !== undefined; at = parent.get(at)) frames.push(label(byId.get(at)));
  frames.pop(); // (root)
  self.set(frames[0], (self.get(frames[0]) ?? 0) + 1);
  for (const frame of new Set(frames)) total.set(frame, (total.get(frame) ?? 0) + 1);
  const key = frames.reverse().join(';');
  stacks.set(key, (stacks.get(key) ?? 0) + 1);
});

const pct = (n) => `${((100 * n) / counted).toFixed(1).padStart(5)} %`;
const top = (map, n) =>
  [...map]
    .sort((a, b) => b[1] - a[1])
    .slice(0, n)
    .map(([name, count]) => `${pct(count)}  ${name}`)
    .join('\n');
console.log(`${counted} busy samples (${idle} idle) after ${from / 1e6} s\n`);
console.log(`## self time\n${top(self, Number(option('top') ?? 40))}\n`);
console.log(`## total time\n${top(total, Number(option('top') ?? 60))}`);
const out = option('collapsed');
if (out)
  fs.writeFileSync(
    out,
    [...stacks]
      .sort((a, b) => b[1] - a[1])
      .map(([stack, count]) => `${stack.replace(/ /g, '_')} ${count}`)
      .join('\n') + '\n',
  );
