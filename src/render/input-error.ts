/** A problem with what the user gave us: reported as one line `subject: what is wrong`, exit 2. */
export class InputError extends Error {
  override name = 'InputError';
  constructor(
    readonly subject: string,
    readonly problem: string,
  ) {
    super(`${subject}: ${problem}`);
  }
}
