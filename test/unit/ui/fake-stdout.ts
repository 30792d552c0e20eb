// A terminal stand-in for Ink: a settable width, 'resize' events, and every frame written.
import { EventEmitter } from 'node:events';

export class FakeStdout extends EventEmitter {
  readonly frames: string[] = [];
  isTTY = true;
  constructor(
    public columns = 100,
    public rows = 40,
  ) {
    super();
  }
  write = (frame: string) => {
    this.frames.push(frame);
    return true;
  };
  lastFrame(): string | undefined {
    return this.frames[this.frames.length - 1];
  }
  /** Everything written, concatenated. */
  all(): string {
    return this.frames.join('');
  }
  resize(columns: number): void {
    this.columns = columns;
    this.emit('resize');
  }
}
