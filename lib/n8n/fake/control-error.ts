/** A control the fake refuses: the HTTP control routes answer its status and message. */
export class ControlError extends Error {
  constructor(
    message: string,
    readonly status = 400,
  ) {
    super(message);
  }
}
