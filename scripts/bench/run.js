/**
 * Processes and measurements for `npm run bench`: starting servers (Wutong, vanilla Strapi, a
 * bare Node server, nginx), running wrk, and reading CPU and memory from /proc.
 */
const { spawn, spawnSync } = require('child_process');
const fs = require('fs');
const net = require('net');
const path = require('path');
const { wrkArgs, parseWrk, statTicks } = require('./options');

const sleep = (ms) => new Promise((resolve) => setTimeout(resolve, ms));
const children = new Set();
const HZ = 100; // USER_HZ, the unit of /proc/<pid>/stat

const freePort = () =>
  new Promise((resolve, reject) => {
    const server = net.createServer();
    server.on('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address();
      server.close(() => resolve(port));
    });
  });

const has = (command) => spawnSync('sh', ['-c', `command -v ${command}`]).status === 0;

/** wrk (and nginx for the multi-process runs) from Debian, installed when missing and root. */
const ensureTools = (needed) => {
  const missing = needed.filter((command) => !has(command));
  if (!missing.length) return;
  if (process.getuid?.() !== 0) {
    throw new Error(
      `${missing.join(' and ')} missing: install with \`sudo apt-get install -y wrk nginx\` ` +
        '(or run the benchmark as root, which installs them)',
    );
  }
  const install = () => spawnSync('apt-get', ['install', '-y', ...missing], { stdio: 'inherit' }).status === 0;
  // A fresh container has no package lists yet: fetch them once and try again.
  if (!install() && !(spawnSync('apt-get', ['update'], { stdio: 'inherit' }).status === 0 && install())) {
    throw new Error(`apt-get install -y ${missing.join(' ')} failed`);
  }
  if (missing.some((command) => !has(command))) {
    throw new Error(`apt-get install -y ${missing.join(' ')} failed`);
  }
};

const memoryOf = (pid) => {
  try {
    const status = fs.readFileSync(`/proc/${pid}/status`, 'utf8');
    const field = (name) => Number((new RegExp(`${name}:\\s+(\\d+)`).exec(status) ?? [])[1] ?? 0) * 1024;
    return { rss: field('VmRSS'), hwm: field('VmHWM') };
  } catch {
    return { rss: 0, hwm: 0 };
  }
};

/** Resets the kernel's RSS high-water mark (VmHWM) of a process to its current RSS. */
const resetPeak = (pid) => {
  try {
    fs.writeFileSync(`/proc/${pid}/clear_refs`, '5');
  } catch {
    // not permitted: the polled RSS alone
  }
};

const ticksOf = (pid) => {
  try {
    return statTicks(fs.readFileSync(`/proc/${pid}/stat`, 'utf8')).self;
  } catch {
    return 0;
  }
};

/** CPU ticks of each PostgreSQL and Redis process, and of the whole machine. */
const machineTicks = () => {
  const [, ...fields] = fs.readFileSync('/proc/stat', 'utf8').split('\n')[0].trim().split(/\s+/).map(Number);
  const [user, nice, system, , , irq, softirq, steal] = fields; // idle and iowait are not busy
  const stores = new Map();
  for (const pid of fs.readdirSync('/proc').filter((name) => /^\d+$/.test(name))) {
    try {
      const stat = fs.readFileSync(`/proc/${pid}/stat`, 'utf8');
      if (/^\d+ \((postgres|redis-server)/.test(stat)) stores.set(pid, statTicks(stat).self);
    } catch {
      // gone meanwhile
    }
  }
  return { busy: user + nice + system + irq + softirq + steal, stores };
};

/** Ticks PostgreSQL and Redis used in between (a backend that exited meanwhile is not counted). */
const storeTicks = (before, after) => {
  let sum = 0;
  for (const [pid, ticks] of after.stores) sum += ticks - (before.stores.get(pid) ?? 0);
  return sum;
};

/**
 * A server process: spawned with IPC (scripts/bench/serve.js) or plain (the bare server, nginx),
 * ready when `healthUrl` answers 2xx. Records the seconds to ready and the RSS peak of start-up.
 */
const startProcess = async ({ name, command, args, cwd, env, healthUrl, work, ipc = false, pidFile }) => {
  const logFile = path.join(work, `${name}.log`);
  const out = fs.openSync(logFile, 'w');
  const began = Date.now();
  const child = spawn(command, args, { cwd, env, stdio: ['ignore', out, out, ...(ipc ? ['ipc'] : [])] });
  children.add(child);
  let exited;
  let info;
  const waiting = new Map();
  child.on('message', (message) => {
    if (message?.type === 'ready') info = message;
    if (message?.type === 'published') {
      waiting.get(message.id)?.(message);
      waiting.delete(message.id);
    }
  });
  child.on('exit', (code, signal) => {
    exited = code ?? signal;
    children.delete(child);
  });
  const tail = () => fs.readFileSync(logFile, 'utf8').slice(-3000);
  const deadline = Date.now() + 600_000;
  for (;;) {
    if (exited !== undefined) throw new Error(`${name} exited (${exited}):\n${tail()}`);
    if (Date.now() > deadline) throw new Error(`${name} did not answer ${healthUrl} within 10 minutes:\n${tail()}`);
    const status = await fetch(healthUrl).then(
      (response) => response.status,
      () => 0,
    );
    if (status >= 200 && status < 300 && (!ipc || info)) break;
    await sleep(100);
  }
  const readySeconds = (Date.now() - began) / 1000;
  // nginx: the master forks its worker; the worker is what serves.
  const pids = () => {
    if (!pidFile) return [child.pid];
    const master = Number(fs.readFileSync(pidFile, 'utf8').trim());
    const workers = spawnSync('pgrep', ['-P', String(master)])
      .stdout.toString()
      .trim()
      .split(/\s+/)
      .filter(Boolean);
    return [master, ...workers.map(Number)];
  };
  let publishes = 0;
  return {
    name,
    pid: child.pid,
    pids,
    info,
    readySeconds,
    startupPeak: memoryOf(child.pid).hwm,
    log: logFile,
    publish(message) {
      publishes += 1;
      const id = publishes;
      return new Promise((resolve) => {
        waiting.set(id, resolve);
        child.send({ type: 'publish', id, ...message });
      });
    },
    async stop() {
      if (exited !== undefined) return;
      const gone = new Promise((resolve) => child.once('exit', resolve));
      child.kill('SIGTERM');
      const killer = setTimeout(() => child.kill('SIGKILL'), 20_000);
      await gone;
      clearTimeout(killer);
      fs.closeSync(out);
    },
  };
};

const stopChildren = () => children.forEach((child) => child.kill('SIGTERM'));

/**
 * One wrk run; its own CPU time comes from the shell that waited for it (cutime + cstime of
 * /proc/$$/stat), so nothing is lost between the last poll and its exit.
 */
const wrk = ({ url, seconds, threads, connections }) =>
  new Promise((resolve, reject) => {
    const child = spawn(
      'sh',
      [
        '-c',
        'wrk "$@"; status=$?; cat /proc/$$/stat >&3; exit $status',
        'sh',
        ...wrkArgs({ threads, connections, seconds, url }),
      ],
      { stdio: ['ignore', 'pipe', 'pipe', 'pipe'] },
    );
    children.add(child);
    let stdout = '';
    let stderr = '';
    let stat = '';
    child.stdout.on('data', (chunk) => (stdout += chunk));
    child.stderr.on('data', (chunk) => (stderr += chunk));
    child.stdio[3].on('data', (chunk) => (stat += chunk));
    child.on('close', (code) => {
      children.delete(child);
      if (code !== 0) return reject(new Error(`wrk exited ${code}: ${stderr || stdout}`));
      try {
        resolve({ ...parseWrk(stdout), loadgenTicks: statTicks(stat).children, output: stdout });
      } catch (error) {
        reject(error);
      }
    });
  });

/**
 * Runs `fn` while wrk loads `url` (started a second before, stopped after): for what must be
 * timed under load but is no measured case itself (publish-to-fresh), whatever --duration says.
 */
const underLoad = async ({ url, threads, connections }, fn) => {
  const child = spawn('wrk', [`-t${threads}`, `-c${connections}`, '-d3600s', url], { stdio: 'ignore' });
  children.add(child);
  const gone = new Promise((resolve) => child.once('exit', resolve));
  try {
    await sleep(1000);
    if (child.exitCode !== null) throw new Error(`wrk exited at once (${child.exitCode}) loading ${url}`);
    return await fn();
  } finally {
    child.kill('SIGTERM');
    await gone;
    children.delete(child);
  }
};

/** One answer of a URL, which must be 200. */
const fetchOnce = async (url) => {
  const response = await fetch(url);
  const body = Buffer.from(await response.arrayBuffer());
  if (response.status !== 200) throw new Error(`${url} answered ${response.status}: ${body.toString().slice(0, 300)}`);
  // What a server writes itself (Node adds Date, Connection and Keep-Alive; Content-Length frames the body).
  const headers = [...response.headers].filter(
    ([name]) => !/^(date|connection|keep-alive|content-length|transfer-encoding)$/.test(name),
  );
  return { body, headers, type: response.headers.get('content-type'), cache: response.headers.get('x-cache') };
};

/**
 * Warms a URL up, then measures it with wrk: req/s, p50/p99, the load generator's and the
 * servers' CPU (cores), PostgreSQL/Redis and the whole machine, and the servers' RSS peak.
 */
const measure = async ({ servers, url, options }) => {
  await fetchOnce(url);
  const load = (seconds) => wrk({ url, seconds, threads: options.threads, connections: options.connections });
  if (options.warmup > 0) await load(options.warmup);
  const sample = await fetchOnce(url);
  const pids = servers.flatMap((server) => server.pids());
  pids.forEach(resetPeak);
  const peaks = new Map(pids.map((pid) => [pid, memoryOf(pid).rss]));
  const poll = setInterval(
    () => pids.forEach((pid) => peaks.set(pid, Math.max(peaks.get(pid), memoryOf(pid).rss))),
    200,
  );
  const before = { at: Date.now(), servers: pids.map(ticksOf), machine: machineTicks() };
  let result;
  try {
    result = await load(options.duration);
  } finally {
    clearInterval(poll);
  }
  const seconds = (Date.now() - before.at) / 1000;
  const after = { servers: pids.map(ticksOf), machine: machineTicks() };
  const cores = (ticks) => ticks / HZ / seconds;
  const peak = Math.max(...pids.map((pid) => Math.max(peaks.get(pid), memoryOf(pid).hwm)));
  const cpu = {
    loadgen: cores(result.loadgenTicks),
    servers: cores(after.servers.reduce((sum, t, i) => sum + t - before.servers[i], 0)),
    stores: cores(storeTicks(before.machine, after.machine)),
    busy: cores(after.machine.busy - before.machine.busy),
  };
  // Work unrelated to the benchmark takes cores from it: worth knowing beside every figure.
  cpu.other = Math.max(0, cpu.busy - cpu.loadgen - cpu.servers - cpu.stores);
  return {
    rps: result.rps,
    p50: result.p50,
    p99: result.p99,
    requests: result.requests,
    failed: result.non2xx + result.socketErrors,
    bytes: sample.body.length,
    cache: sample.cache ?? undefined, // the x-cache header after the warm-up (HIT, MISS…), if any
    sample,
    peakRss: peak,
    cpu,
  };
};

module.exports = {
  sleep,
  freePort,
  ensureTools,
  startProcess,
  stopChildren,
  measure,
  underLoad,
  fetchOnce,
  memoryOf,
};
