// Starts DynamoDB Local (DynamoDBLocal.jar) listening on 127.0.0.1 only.
//
// The jar has no option for the listen address: its Jetty server binds the wildcard address
// (every interface, IPv4 and IPv6). This launcher builds the server exactly as the jar's own
// main does (ServerRunner.createServerFromCommandLineArgs, the same options), sets the host of
// its connector to 127.0.0.1 and only then starts it. Run as a single source file (Java 11+
// compiles it in memory; the jdk.compiler module is part of Debian's openjdk-17-jre-headless):
//
//   java -Djava.library.path=DIR/DynamoDBLocal_lib -cp DIR/DynamoDBLocal.jar \
//     tests/dynamodb/DynamoDBLocalLoopback.java -inMemory -port 8000 -disableTelemetry
//
// It relies on a private field of the jar's DynamoDBProxyServer ("server", the Jetty Server)
// and fails with a clear message instead of listening anywhere else when that changes.

import java.lang.reflect.Field;

import org.eclipse.jetty.server.Connector;
import org.eclipse.jetty.server.Server;
import org.eclipse.jetty.server.ServerConnector;

import software.amazon.dynamodb.services.local.main.ServerRunner;
import software.amazon.dynamodb.services.local.server.DynamoDBProxyServer;

public class DynamoDBLocalLoopback {
  private static final String HOST = "127.0.0.1";

  public static void main(String[] args) throws Exception {
    DynamoDBProxyServer proxy = ServerRunner.createServerFromCommandLineArgs(args);
    if (proxy == null) {
      System.err.println("DynamoDBLocalLoopback: DynamoDB Local refused the options " + String.join(" ", args));
      System.exit(2);
    }
    Server jetty;
    try {
      Field field = DynamoDBProxyServer.class.getDeclaredField("server");
      field.setAccessible(true);
      jetty = (Server) field.get(proxy);
    } catch (ReflectiveOperationException | ClassCastException e) {
      System.err.println("DynamoDBLocalLoopback: this DynamoDBLocal.jar has no Jetty field 'server' (" + e + ");"
          + " cannot restrict it to " + HOST);
      System.exit(2);
      return;
    }
    int restricted = 0;
    for (Connector connector : jetty.getConnectors()) {
      if (!(connector instanceof ServerConnector)) {
        System.err.println("DynamoDBLocalLoopback: unexpected connector " + connector.getClass().getName());
        System.exit(2);
      }
      ((ServerConnector) connector).setHost(HOST);
      restricted++;
    }
    if (restricted == 0) {
      System.err.println("DynamoDBLocalLoopback: DynamoDB Local has no connector to restrict");
      System.exit(2);
    }
    proxy.start();
    System.err.println("DynamoDBLocalLoopback: listening on " + HOST + " only");
  }
}
