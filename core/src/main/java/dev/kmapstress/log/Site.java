package dev.kmapstress.log;

/**
 * A place in the kernel's source where a {@code BUG_ON}/{@code WARN_ON_ONCE}/{@code might_sleep}
 * sits: file and line in Linux 6.1.192 (Debian's linux-source-6.1 6.1.192-3), and the function. Reports quote it the way the kernel
 * does ({@code mm/highmem.c:308}), and WARN_ON_ONCE is once per site.
 */
public record Site(String file, int line, String function) {

    /** {@code file:line}, as the kernel prints a location. */
    public String location() {
        return file + ":" + line;
    }
}
