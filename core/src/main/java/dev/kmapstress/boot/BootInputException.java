package dev.kmapstress.boot;

/**
 * Input the boot model cannot take: a malformed e820 line, an unknown type, a size the kernel's
 * memparse would not read. The message is one line naming the input line or parameter and what
 * is expected.
 */
public final class BootInputException extends IllegalArgumentException {

    private static final long serialVersionUID = 1L;

    public BootInputException(String message) {
        super(message);
    }
}
