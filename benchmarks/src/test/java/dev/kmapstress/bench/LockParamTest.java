package dev.kmapstress.bench;

import static org.assertj.core.api.Assertions.assertThat;

import dev.kmapstress.lock.LockRegistry;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.openjdk.jmh.annotations.Param;

/** The JMH lock parameter's default values must be exactly the registered real strategies. */
class LockParamTest {

    @Test
    void theDefaultLockListIsEveryRegisteredRealStrategy() throws NoSuchFieldException {
        List<String> listed = Arrays.asList(LockedMachine.class.getField("lock").getAnnotation(Param.class).value());
        List<String> registered = LockRegistry.standard().realNames();

        assertThat(listed)
                .as("the @Param of LockedMachine.lock must list the registered real lock strategies %s;"
                        + " update it in benchmarks/src/main/java/dev/kmapstress/bench/LockedMachine.java", registered)
                .containsExactlyElementsOf(registered);
    }
}
