// File-system failures (disk full, read-only, permissions) as one line a person can act on.

const REASONS: Record<string, string> = {
  ENOSPC: "no space left on device",
  EDQUOT: "disk quota exceeded",
  EROFS: "read-only file system",
  EACCES: "permission denied",
  EPERM: "operation not permitted",
  ENOTDIR: "a file stands where a directory is needed",
  EISDIR: "a directory stands where a file is needed",
  ELOOP: "too many levels of symbolic links",
  EMFILE: "too many open files",
  EIO: "input/output error",
};

export function isFileSystemError(error: unknown): error is NodeJS.ErrnoException {
  const code = (error as NodeJS.ErrnoException | undefined)?.code;
  return (
    typeof code === "string" && /^E[A-Z]+$/.test(code) && typeof (error as NodeJS.ErrnoException).syscall === "string"
  );
}

export function fileSystemMessage(error: unknown, path: string): string {
  const code = (error as NodeJS.ErrnoException).code ?? "";
  return `cannot write ${path}: ${REASONS[code] ?? (error as Error).message.split(",")[0]} (${code || "error"})`;
}
