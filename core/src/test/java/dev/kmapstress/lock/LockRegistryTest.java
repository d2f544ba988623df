package dev.kmapstress.lock;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.kmapstress.lock.strategies.TicketLock;
import dev.kmapstress.lock.userlock.UserSpinLock;
import dev.kmapstress.settings.ConfigException;
import dev.kmapstress.machine.MachineConfig;
import dev.kmapstress.machine.Profile;
import java.net.URL;
import java.net.URLClassLoader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Finding strategies by name: unknown and duplicate names, and a user's provider on the class path. */
class LockRegistryTest {

    /** A second provider that claims the name {@code ticket}. */
    public static final class SecondTicket implements LockStrategyProvider {
        @Override public String name() { return "ticket"; }
        @Override public String description() { return "an impostor"; }
        @Override public LockStrategy create(int nrCpus) { return new TicketLock.Provider().create(nrCpus); }
    }

    @Test
    void anUnknownNameIsRefusedWithTheKnownNames() {
        assertThatThrownBy(() -> LockRegistry.standard().get("spinny"))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageStartingWith("unknown lock strategy 'spinny'; known: anderson, busted, clh, ")
                .hasMessageContaining("qspinlock");
        assertThatThrownBy(() -> MachineConfig.builder(Profile.X86_PAE).lock("spinny").build())
                .isInstanceOf(ConfigException.class)
                .hasMessageStartingWith("lock=spinny: unknown lock strategy; known: anderson, busted, clh, ");
    }

    @Test
    void twoProvidersOfOneNameAreRefused() {
        assertThatThrownBy(() -> LockRegistry.of(List.of(new TicketLock.Provider(), new SecondTicket())))
                .isInstanceOf(IllegalStateException.class)
                .hasMessage("lock strategy name 'ticket' is registered twice: by "
                        + TicketLock.Provider.class.getName() + " and by " + SecondTicket.class.getName());
    }

    /** A jar whose service file names a second {@code ticket}: loading the class path fails. */
    @Test
    void aDuplicateOnTheClassPathIsRefusedWhenLoading(@TempDir Path dir) throws Exception {
        Path services = dir.resolve("META-INF/services");
        Files.createDirectories(services);
        Files.writeString(services.resolve(LockStrategyProvider.class.getName()), SecondTicket.class.getName() + "\n");
        try (URLClassLoader loader = new URLClassLoader(new URL[] {dir.toUri().toURL()}, getClass().getClassLoader())) {
            assertThatThrownBy(() -> LockRegistry.load(loader))
                    .isInstanceOf(IllegalStateException.class)
                    .hasMessageContaining("'ticket' is registered twice");
        }
    }

    /** The test-scope provider is listed only in src/test/resources, yet found by name. */
    @Test
    void aUsersProviderOnTheClassPathIsFoundByName() {
        LockStrategyProvider p = LockRegistry.standard().get("user-spin");
        assertThat(p).isInstanceOf(UserSpinLock.Provider.class);
        assertThat(p.broken()).isFalse();
        assertThat(LockRegistry.standard().realNames()).contains("user-spin");
        assertThat(MachineConfig.builder(Profile.X86_PAE).lock("user-spin").build().lock()).isEqualTo("user-spin");
    }

    @Test
    void everyBuiltInProviderDescribesItself() {
        for (LockStrategyProvider p : LockRegistry.standard().providers()) {
            assertThat(p.description()).as(p.name()).isNotBlank();
            assertThat(p.description().contains("BROKEN")).as(p.name()).isEqualTo(p.broken());
        }
    }
}
