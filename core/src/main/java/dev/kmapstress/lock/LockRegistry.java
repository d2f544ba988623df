package dev.kmapstress.lock;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.ServiceLoader;
import java.util.TreeMap;
import java.util.stream.Collectors;

/**
 * The lock strategies known by name: every {@link LockStrategyProvider} that
 * {@link ServiceLoader} finds on the class path, the built-in ones and any a user brings.
 *
 * <p>A registry is immutable once built. Two providers claiming the same name are refused,
 * since a name must select exactly one algorithm in every suite and chart.
 */
public final class LockRegistry {

    private final Map<String, LockStrategyProvider> byName;

    private LockRegistry(Map<String, LockStrategyProvider> byName) {
        this.byName = Collections.unmodifiableMap(byName);
    }

    /** The registry of every provider visible to {@code loader}. */
    public static LockRegistry load(ClassLoader loader) {
        return of(ServiceLoader.load(LockStrategyProvider.class, loader).stream()
                .map(ServiceLoader.Provider::get).collect(Collectors.toList()));
    }

    /** The registry of the providers visible to this class's loader (the class path). */
    public static LockRegistry standard() {
        return Holder.STANDARD;
    }

    /** A registry of exactly these providers; refuses two with one name. */
    public static LockRegistry of(List<LockStrategyProvider> providers) {
        Map<String, LockStrategyProvider> map = new TreeMap<>();
        for (LockStrategyProvider p : providers) {
            LockStrategyProvider old = map.putIfAbsent(p.name(), p);
            if (old != null) {
                throw new IllegalStateException("lock strategy name '" + p.name()
                        + "' is registered twice: by " + old.getClass().getName()
                        + " and by " + p.getClass().getName());
            }
        }
        return new LockRegistry(map);
    }

    /**
     * The provider named {@code name}.
     *
     * @throws IllegalArgumentException naming the unknown value and listing the known names
     */
    public LockStrategyProvider get(String name) {
        LockStrategyProvider p = byName.get(name);
        if (p == null) {
            throw new IllegalArgumentException("unknown lock strategy '" + name
                    + "'; known: " + String.join(", ", byName.keySet()));
        }
        return p;
    }

    /** Whether a strategy of that name is registered. */
    public boolean contains(String name) {
        return byName.containsKey(name);
    }

    /** Every registered name, sorted. */
    public List<String> names() {
        return new ArrayList<>(byName.keySet());
    }

    /** The names of the strategies that are not deliberately broken, sorted. */
    public List<String> realNames() {
        return byName.values().stream().filter(p -> !p.broken())
                .map(LockStrategyProvider::name).collect(Collectors.toList());
    }

    /** Every provider, sorted by name. */
    public List<LockStrategyProvider> providers() {
        return new ArrayList<>(byName.values());
    }

    private static final class Holder {
        static final LockRegistry STANDARD = load(LockRegistry.class.getClassLoader());
    }
}
