/** A talk file that cannot be presented: printed as one line at start. */
export class TalkLoadError extends Error {
  override name = 'TalkLoadError';
}
