/**
 * Our admin plugins add their endpoints to Strapi's shared RTK Query API. A name Strapi already
 * uses is silently dropped (the first injection wins), and our hook then calls Strapi's endpoint:
 * the editorial releases picker asked /content-releases that way and got a 404.
 */
import fs from 'fs';
import path from 'path';
import { ROOT } from '../helpers/paths';

const ENDPOINT = /^\s*([A-Za-z0-9_]+):\s*(?:build|builder)\.(?:query|mutation)\b/gm;

const filesUnder = (dir: string, extension: RegExp): string[] =>
  fs.existsSync(dir)
    ? fs.readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
        const full = path.join(dir, entry.name);
        if (entry.isDirectory()) return entry.name === 'node_modules' ? [] : filesUnder(full, extension);
        return extension.test(entry.name) ? [full] : [];
      })
    : [];

const endpointNames = (files: string[]) =>
  new Set(files.flatMap((file) => [...fs.readFileSync(file, 'utf8').matchAll(ENDPOINT)].map((match) => match[1])));

it("gives our admin endpoints names Strapi's admin does not use", () => {
  const plugins = path.join(ROOT, 'src', 'plugins');
  const ours = endpointNames(
    fs.readdirSync(plugins).flatMap((plugin) => filesUnder(path.join(plugins, plugin, 'admin'), /\.tsx?$/)),
  );
  const strapiRoot = path.join(ROOT, 'node_modules', '@strapi');
  const strapi = endpointNames(
    fs.readdirSync(strapiRoot).flatMap((pkg) => filesUnder(path.join(strapiRoot, pkg, 'dist', 'admin'), /\.mjs$/)),
  );
  expect(ours.size).toBeGreaterThan(0);
  expect(strapi.has('getReleases')).toBe(true); // the scan finds Strapi's endpoints
  expect([...ours].filter((name) => strapi.has(name))).toEqual([]);
});
