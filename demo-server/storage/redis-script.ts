import crypto from 'node:crypto';

/** A Lua script, called by its SHA1 (loaded again if Redis restarted without it). */
export class Script {
  readonly sha: string;
  constructor(readonly source: string) {
    this.sha = crypto.createHash('sha1').update(source).digest('hex');
  }
}
