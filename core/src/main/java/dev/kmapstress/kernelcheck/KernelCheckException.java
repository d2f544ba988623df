package dev.kmapstress.kernelcheck;

/**
 * A check that cannot be made: a scenario the kernel cannot run, a missing tool, a kernel that
 * did not start the module. The CLI prints the message and exits 2.
 */
public final class KernelCheckException extends IllegalArgumentException {
    private static final long serialVersionUID = 1L;

    public KernelCheckException(String message) {
        super(message);
    }
}
