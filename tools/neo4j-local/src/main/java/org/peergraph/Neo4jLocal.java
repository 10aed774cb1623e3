package org.peergraph;

import java.nio.file.Path;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import org.neo4j.configuration.GraphDatabaseSettings;
import org.neo4j.configuration.connectors.BoltConnector;
import org.neo4j.configuration.helpers.SocketAddress;
import org.neo4j.dbms.api.DatabaseManagementService;
import org.neo4j.dbms.api.DatabaseManagementServiceBuilder;
import org.neo4j.graphdb.QueryExecutionException;

/**
 * A Neo4j Community server for development and tests: the embedded database of Neo4j 5.26 with its
 * Bolt connector on 127.0.0.1, authentication on, LOAD CSV confined to HOME/import, and the
 * password of user neo4j set at start.
 * Usage: Neo4jLocal HOME PORT PASSWORD. Runs until it receives SIGTERM.
 */
public final class Neo4jLocal {
    private Neo4jLocal() {}

    public static void main(String[] args) throws InterruptedException {
        Path home = Path.of(args[0]);
        int port = Integer.parseInt(args[1]);
        String password = args[2];
        DatabaseManagementService dbms = new DatabaseManagementServiceBuilder(home)
            .setConfig(BoltConnector.enabled, true)
            .setConfig(BoltConnector.listen_address, new SocketAddress("127.0.0.1", port))
            .setConfig(GraphDatabaseSettings.auth_enabled, true)
            // LOAD CSV file URLs resolve inside HOME/import only (embedded Neo4j has no root by default).
            .setConfig(GraphDatabaseSettings.load_csv_file_url_root, home.resolve("import").toAbsolutePath())
            .build();
        try {
            dbms.database("system").executeTransactionally(
                "ALTER USER neo4j SET PASSWORD $password CHANGE NOT REQUIRED", Map.of("password", password));
        } catch (QueryExecutionException e) {
            // A restart with the same data folder: the password is already set.
            if (!e.getMessage().contains("cannot be the same")) {
                dbms.shutdown();
                throw e;
            }
        }
        CountDownLatch stopped = new CountDownLatch(1);
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            dbms.shutdown();
            stopped.countDown();
        }));
        System.out.println("peergraph neo4j-local: bolt://127.0.0.1:" + port + " ready");
        System.out.flush();
        stopped.await();
    }
}
