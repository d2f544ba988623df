package dev.kmapstress.bench;

import static org.assertj.core.api.Assertions.assertThat;

import dev.kmapstress.report.BenchmarkNames;
import java.lang.reflect.Field;
import java.lang.reflect.Method;
import java.lang.reflect.Modifier;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.Group;

/** Every benchmark the report's targets and charts read by name still exists under that name. */
class BenchmarkNamesTest {

    @Test
    void everyNameTheReportReadsIsABenchmarkOfThisModule() throws IllegalAccessException {
        List<String> names = new ArrayList<>();
        for (Field f : BenchmarkNames.class.getFields()) {
            if (Modifier.isStatic(f.getModifiers()) && f.getType() == String.class
                    && ((String) f.get(null)).matches("[A-Z]\\w*\\.\\w+")) {
                names.add((String) f.get(null));
            }
        }
        assertThat(names).isNotEmpty().allSatisfy(name -> assertThat(exists(name))
                .as("dev.kmapstress.bench.%s is a @Benchmark (or @Group)", name).isTrue());
    }

    private static boolean exists(String name) {
        String[] parts = name.split("\\.");
        try {
            Class<?> c = Class.forName("dev.kmapstress.bench." + parts[0]);
            for (Method m : c.getMethods()) {
                if (m.isAnnotationPresent(Benchmark.class) && (m.getName().equals(parts[1])
                        || m.isAnnotationPresent(Group.class) && m.getAnnotation(Group.class).value().equals(parts[1]))) {
                    return true;
                }
            }
            return false;
        } catch (ClassNotFoundException e) {
            return false;
        }
    }
}
