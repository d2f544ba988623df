package com.example.mylock;

import static org.assertj.core.api.Assertions.assertThat;

import dev.kmapstress.cli.Main;
import java.io.PrintWriter;
import java.io.StringWriter;
import org.junit.jupiter.api.Test;

/**
 * What a lock's author checks before handing the jar on: kmap-stress finds both strategies by
 * name, the real one survives a short torture, the broken one is caught.
 */
class MyLockTest {

    /** Runs a kmap-stress command in this JVM, where this project's classes are on the class path. */
    private static String[] kmapStress(String... args) {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        int exit = Main.commandLine().setOut(new PrintWriter(out, true)).setErr(new PrintWriter(err, true))
                .execute(args);
        return new String[] {Integer.toString(exit), out.toString(), err.toString()};
    }

    @Test
    void listShowsBothLocksAsUserLocks() {
        String[] r = kmapStress("list", "locks");
        assertThat(r[0]).isEqualTo("0");
        assertThat(r[1]).contains("my-lock\t[user] example user lock: ticket lock with proportional backoff (FIFO)\n",
                "my-lock-gives-up\t[broken, user] example user lock, BROKEN on purpose");
    }

    @Test
    void myLockPassesAShortTorture() {
        String[] r = kmapStress("torture", "--lock", "my-lock", "--duration", "2s", "--cpus", "2", "--seed", "1",
                "--quiet");
        assertThat(r[0]).as(r[1] + r[2]).isEqualTo("0");
        assertThat(r[1]).contains("lock=my-lock", "End of test: SUCCESS");
    }

    @Test
    void theLockThatGivesUpIsCaught() {
        String[] r = kmapStress("torture", "--lock", "my-lock-gives-up", "--workload", "persistent",
                "--duration", "20s", "--cpus", "2", "--seed", "1", "--watchdog", "1s", "--quiet");
        assertThat(r[0]).as(r[1] + r[2]).isEqualTo("1");
        assertThat(r[1]).contains("End of test: FAILURE");
    }
}
