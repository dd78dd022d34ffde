/** Browser tests load the built pages: build once before any test file runs. */
import { ensureBuild } from '../demo-server/http/ensure-build.js';

export default async function setup(): Promise<void> {
  await ensureBuild(() => undefined);
}
