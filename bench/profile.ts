/**
 * Reads a V8 CPU profile (`node --cpu-prof`) and names what the server spent
 * its time on: the top functions by self time, and the same time grouped by
 * package (socket.io, engine.io, ws, better-sqlite3, livedeck's own code,
 * Node internals, GC).
 */
import fs from 'node:fs';
import path from 'node:path';
import { PROJECT_ROOT } from './processes.js';

interface ProfileNode {
  id: number;
  callFrame: { functionName: string; url: string; lineNumber: number };
  hitCount?: number;
}

interface CpuProfile {
  nodes: ProfileNode[];
  samples: number[];
  timeDeltas: number[];
  startTime: number;
  endTime: number;
}

export interface ProfileEntry {
  name: string;
  where: string;
  ms: number;
  /** Share of the busy (non-idle) time. */
  pct: number;
}

export interface PhaseProfile {
  name: string;
  /** The phase on the profile's clock (µs), to look at it again in the .cpuprofile. */
  startUs: number;
  endUs: number;
  busyMs: number;
  wallMs: number;
  functions: ProfileEntry[];
  packages: ProfileEntry[];
}

export interface ProfileSummary {
  file: string;
  /** Each measured phase (join storm, fan-out, chat) on its own. */
  phases: PhaseProfile[];
}

export interface PhaseWindow {
  name: string;
  startUs: number;
  endUs: number;
}

function packageOf(url: string, functionName: string): string {
  if (!url) return functionName.startsWith('(') ? functionName : '(native)';
  if (url.startsWith('node:')) return 'node internals';
  const inModules = /node_modules\/((?:@[^/]+\/)?[^/]+)/.exec(url);
  if (inModules) return inModules[1]!;
  if (url.includes('/demo-server/') || url.includes('/src/')) return 'livedeck';
  return 'other';
}

function shortWhere(url: string, line: number): string {
  if (!url) return '';
  const file = url.startsWith('file://') ? url.slice('file://'.length) : url;
  const relative = file.startsWith(PROJECT_ROOT) ? path.relative(PROJECT_ROOT, file).replace(/^node_modules\//, '') : file;
  return `${relative}:${line + 1}`;
}

function summarize(profile: CpuProfile, window: PhaseWindow, top: number): PhaseProfile {
  const byId = new Map(profile.nodes.map((node) => [node.id, node]));
  const selfMs = new Map<number, number>();
  // timeDeltas[i] is the time before sample i; it belongs to the sample before it.
  let at = profile.startTime;
  for (let i = 0; i < profile.samples.length; i++) {
    at += profile.timeDeltas[i] ?? 0;
    if (at < window.startUs || at > window.endUs) continue;
    const delta = (profile.timeDeltas[i + 1] ?? 0) / 1000;
    const id = profile.samples[i]!;
    selfMs.set(id, (selfMs.get(id) ?? 0) + delta);
  }
  const functions = new Map<string, ProfileEntry>();
  const packages = new Map<string, ProfileEntry>();
  let busyMs = 0;
  for (const [id, ms] of selfMs) {
    const { functionName, url, lineNumber } = byId.get(id)!.callFrame;
    if (functionName === '(idle)') continue;
    busyMs += ms;
    const name = functionName || '(anonymous)';
    const where = shortWhere(url, lineNumber);
    const key = `${name}@${where}`;
    const entry = functions.get(key) ?? { name, where, ms: 0, pct: 0 };
    entry.ms += ms;
    functions.set(key, entry);
    const pkg = packageOf(url, name);
    const group = packages.get(pkg) ?? { name: pkg, where: '', ms: 0, pct: 0 };
    group.ms += ms;
    packages.set(pkg, group);
  }
  const ranked = (entries: Iterable<ProfileEntry>) =>
    [...entries]
      .map((entry) => ({ ...entry, pct: (100 * entry.ms) / busyMs }))
      .sort((a, b) => b.ms - a.ms)
      .slice(0, top);
  return {
    name: window.name,
    startUs: window.startUs,
    endUs: window.endUs,
    busyMs,
    wallMs: (Math.min(window.endUs, profile.endTime) - Math.max(window.startUs, profile.startTime)) / 1000,
    functions: ranked(functions.values()),
    packages: ranked(packages.values()),
  };
}

/** Summaries of the given phases of a profile (or of all of it). */
export function summarizeProfile(file: string, windows?: PhaseWindow[], top = 12): ProfileSummary {
  const profile = JSON.parse(fs.readFileSync(file, 'utf8')) as CpuProfile;
  const phases = windows?.length ? windows : [{ name: 'whole run', startUs: profile.startTime, endUs: profile.endTime }];
  return { file: path.relative(PROJECT_ROOT, file), phases: phases.map((window) => summarize(profile, window, top)) };
}
