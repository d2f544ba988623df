package dev.kmapstress.results;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class AtomicFilesTest {

    @TempDir
    Path dir;

    @Test
    void replacesTheTargetAndLeavesNoTemporaryFile() throws IOException {
        Path target = dir.resolve("a/b/REPORT.md");
        AtomicFiles.writeString(target, "old");
        AtomicFiles.writeString(target, "new ✓");

        assertThat(Files.readString(target)).isEqualTo("new ✓");
        try (Stream<Path> files = Files.list(target.getParent())) {
            assertThat(files).containsExactly(target);
        }
    }

    @Test
    void theWrittenFileIsReadableByOthersWhereTheUmaskAllows() throws IOException {
        Path target = dir.resolve("chart.png");
        Path plain = Files.writeString(dir.resolve("plain.txt"), "x");
        AtomicFiles.write(target, new byte[] {1, 2, 3});

        assertThat(Files.readAllBytes(target)).containsExactly(1, 2, 3);
        if (Files.getFileStore(dir).supportsFileAttributeView("posix")) {
            assertThat(Files.getPosixFilePermissions(target)).isEqualTo(Files.getPosixFilePermissions(plain));
        }
    }
}
