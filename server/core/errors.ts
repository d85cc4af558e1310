/** Typed errors thrown by services and routes; one middleware turns them into pages. */
export class HttpError extends Error {
  constructor(
    public readonly status: number,
    message: string,
  ) {
    super(message);
    this.name = new.target.name;
  }
}

export class NotFound extends HttpError {
  constructor(message = 'not found') {
    super(404, message);
  }
}

export class Forbidden extends HttpError {
  constructor(message = 'forbidden') {
    super(403, message);
  }
}

export class Unauthorized extends HttpError {
  constructor(message = 'unauthorized') {
    super(401, message);
  }
}

export class Conflict extends HttpError {
  constructor(message = 'conflict') {
    super(409, message);
  }
}

export class CsrfError extends HttpError {
  constructor() {
    super(403, 'invalid csrf token');
  }
}

export type FieldErrors = Record<string, string>;

/**
 * Invalid input. When `view` is set, the error middleware re-renders that view with the
 * submitted values and the French field messages, so the user keeps what they typed.
 */
export class Invalid extends HttpError {
  constructor(
    public readonly fields: FieldErrors,
    public readonly view?: string,
    public readonly locals: Record<string, unknown> = {},
    status = 422,
  ) {
    super(status, 'invalid input');
  }
}
