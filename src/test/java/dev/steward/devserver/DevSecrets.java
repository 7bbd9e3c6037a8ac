package dev.steward.devserver;

import dev.steward.testing.DevKeys;
import java.io.IOException;
import java.io.Reader;
import java.io.Writer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Properties;

/**
 * The credentials of a developer installation, generated on first start and kept (readable by the owner only)
 * in the data directory, so restarts keep the same operator token, master key and demo key. Never for production:
 * there, the environment supplies them.
 */
record DevSecrets(String adminToken, String masterKey, String demoKey, String databasePassword) {

    static DevSecrets loadOrCreate(Path file) throws IOException {
        Properties properties = new Properties();
        if (Files.exists(file)) {
            try (Reader reader = Files.newBufferedReader(file)) {
                properties.load(reader);
            }
        }
        boolean changed = false;
        changed |= putIfMissing(properties, "admin-token", "op_" + DevKeys.randomToken(24));
        changed |= putIfMissing(properties, "master-key", DevKeys.randomToken(32));
        changed |= putIfMissing(properties, "demo-key", DevKeys.newApiKey());
        changed |= putIfMissing(properties, "database-password", DevKeys.randomToken(18));
        if (changed) {
            Files.createDirectories(file.getParent());
            try (Writer writer = Files.newBufferedWriter(file)) {
                properties.store(writer, "Steward developer credentials; generated, local to this machine");
            }
            Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("rw-------"));
        }
        return new DevSecrets(properties.getProperty("admin-token"), properties.getProperty("master-key"),
                properties.getProperty("demo-key"), properties.getProperty("database-password"));
    }

    private static boolean putIfMissing(Properties properties, String key, String value) {
        if (properties.getProperty(key) == null) {
            properties.setProperty(key, value);
            return true;
        }
        return false;
    }
}
