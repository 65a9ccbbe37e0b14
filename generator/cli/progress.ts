// Progress of a long run on stderr: a live line on a terminal, plain stage lines when asked for elsewhere.
import { CommandIO } from "./io";

export class Progress {
  private readonly started = Date.now();
  private readonly live: boolean;
  private readonly lines: boolean;
  private timer?: NodeJS.Timeout;
  private current = "";

  /** enabled: --progress (true), --no-progress (false), or undefined for "only on a terminal". */
  constructor(
    private readonly io: CommandIO,
    enabled: boolean | undefined,
  ) {
    const terminal = Boolean(io.tty?.err && io.status);
    this.live = enabled !== false && terminal;
    this.lines = enabled === true && !terminal;
  }

  stage(text: string): void {
    this.current = text;
    if (this.lines) this.io.err(`kafka-overlays: ${text} (${this.elapsed()})`);
    if (!this.live) return;
    this.draw();
    // A timer that never keeps the process alive: the line ticks while kustomize builds run.
    this.timer ??= setInterval(() => this.draw(), 1000).unref();
  }

  done(): void {
    if (this.timer) clearInterval(this.timer);
    this.timer = undefined;
    if (this.live && this.current) this.io.status!("");
    if (this.lines && this.current) this.io.err(`kafka-overlays: done (${this.elapsed()})`);
    this.current = "";
  }

  private draw(): void {
    this.io.status!(`kafka-overlays: ${this.current} … ${this.elapsed()}`);
  }

  private elapsed(): string {
    return `${((Date.now() - this.started) / 1000).toFixed(1)}s`;
  }
}
