package kit;

import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.atomic.AtomicReference;
import org.apache.qpid.server.SystemLauncher;
import org.apache.qpid.server.SystemLauncherListener;
import org.apache.qpid.server.model.Broker;
import org.apache.qpid.server.model.Port;
import org.apache.qpid.server.model.SystemConfig;

/**
 * The main of the embedded broker's JVM, started by {@link kit.Broker}: Apache Qpid Broker-J
 * speaking AMQP 0-9-1 (RabbitMQ's protocol) on a free port of 127.0.0.1, user guest/guest, one
 * virtual host "default" (also reached as "/") whose queues and messages live in memory. It
 * prints {@code threadwork-broker listening on port N} when it is ready, and halts when the JVM
 * that started it closes its standard input or dies.
 *
 * <p>Why a JVM of its own: Broker-J runs some eighty threads, a few more with each connection; in
 * the test JVM they would read as threads the exercise left running. A separate process is also
 * what a real broker is.
 */
public final class EmbeddedBroker {

    /** The line that says the broker is ready, followed by its port. */
    static final String READY = "threadwork-broker listening on port ";

    /** Qpid's configuration: model 9.1 is Broker-J 10.1's; port 0 asks the system for a free one. */
    private static final String CONFIG = """
            {
              "name": "threadwork",
              "modelVersion": "9.1",
              "authenticationproviders": [{"name": "plain", "type": "Plain", "secureOnlyMechanisms": [],
                "users": [{"name": "guest", "type": "managed", "password": "guest"}]}],
              "ports": [{"name": "AMQP", "port": 0, "bindingAddress": "127.0.0.1", "protocols": ["AMQP_0_9_1"],
                "authenticationProvider": "plain",
                "virtualhostaliases": [{"name": "defaultAlias", "type": "defaultAlias"},
                  {"name": "nameAlias", "type": "nameAlias"}]}],
              "virtualhostnodes": [{"name": "default", "type": "Memory", "defaultVirtualHostNode": "true",
                "virtualHostInitialConfiguration": "{\\"type\\": \\"Memory\\"}"}]
            }
            """;

    private EmbeddedBroker() {
    }

    public static void main(String[] args) throws Exception {
        JavaProcess.endWithParent();
        AtomicReference<Broker<?>> broker = new AtomicReference<>();
        SystemLauncher launcher = new SystemLauncher(new SystemLauncherListener.DefaultSystemLauncherListener() {
            @Override
            public void onContainerResolve(SystemConfig<?> systemConfig) {
                broker.set((Broker<?>) systemConfig.getContainer());
            }
        });
        Map<String, Object> attributes = new HashMap<>();
        attributes.put("type", "Memory");
        attributes.put("initialConfigurationLocation",
                "data:;base64," + Base64.getEncoder().encodeToString(CONFIG.getBytes(StandardCharsets.UTF_8)));
        attributes.put("startupLoggedToSystemOut", false);
        // Nothing is stored (memory only); the work directory must still be somewhere writable.
        attributes.put("context", Map.of("qpid.work_dir", System.getProperty("java.io.tmpdir")));
        launcher.startup(attributes);
        int port = broker.get().getPorts().stream().filter(p -> p.getName().equals("AMQP"))
                .mapToInt(Port::getBoundPort).findFirst().orElseThrow();
        System.out.println(READY + port);
        System.out.flush();
        Thread.currentThread().join(); // until the lifeline halts the JVM
    }
}
