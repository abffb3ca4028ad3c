package io.maspush.gateway.pushconfig;

import org.junit.jupiter.api.AfterAll;

import org.springframework.boot.logging.LogLevel;
import org.springframework.boot.logging.LoggingSystem;
import org.springframework.test.context.TestPropertySource;

/**
 * The same journey as {@link SecretLeakTests} with every logger at DEBUG, Spring's web
 * and HTTP client logging included: no level reveals a secret.
 */
@TestPropertySource(properties = "logging.level.root=DEBUG")
class SecretLeakAtDebugLevelTests extends SecretLeakTests {

    @AfterAll
    static void restoreLogLevel() {
        LoggingSystem.get(SecretLeakAtDebugLevelTests.class.getClassLoader())
            .setLogLevel(LoggingSystem.ROOT_LOGGER_NAME, LogLevel.INFO);
    }

}
