package dev.kmapstress.bench;

import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.infra.ThreadParams;

/** A {@link Walker} over the pages of a {@link PoolMachine}. */
public class PoolWalker extends Walker {

    @Setup(Level.Trial)
    public void setUp(PoolMachine m, ThreadParams threads) {
        place(m.machine(), threads);
    }
}
