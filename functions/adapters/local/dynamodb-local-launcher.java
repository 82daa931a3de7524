import java.lang.reflect.Field;
import org.eclipse.jetty.server.Connector;
import org.eclipse.jetty.server.Server;
import org.eclipse.jetty.server.ServerConnector;
import software.amazon.dynamodb.services.local.main.ServerRunner;
import software.amazon.dynamodb.services.local.server.DynamoDBProxyServer;

/**
 * Starts DynamoDB Local the way its own main class does, with two differences local mode needs
 * (docs/deploy.md, "Local mode"):
 *
 * - It listens on 127.0.0.1 only. DynamoDB Local has no option for the address (it always binds
 *   every interface) and no authentication, so anyone on the network could read every tenant's
 *   items. Its Jetty connector is set to loopback before the server starts.
 * - It exits when its standard input closes. The Stepwise server holds the other end of that pipe,
 *   and the kernel closes it however the server ends (SIGKILL included), so DynamoDB Local never
 *   outlives it and never keeps serving the data dir on its own.
 *
 * Run with the source launcher (java dynamodb-local-launcher.java ...), so nothing is compiled
 * ahead of time or shipped as a binary; the arguments are DynamoDB Local's own.
 */
public class StepwiseDynamoDbLocal {
  public static void main(String[] args) throws Exception {
    DynamoDBProxyServer proxy = ServerRunner.createServerFromCommandLineArgs(args);
    Field field = DynamoDBProxyServer.class.getDeclaredField("server");
    field.setAccessible(true);
    Server server = (Server) field.get(proxy);
    for (Connector connector : server.getConnectors()) ((ServerConnector) connector).setHost("127.0.0.1");

    Thread watchdog = new Thread(() -> {
      try {
        while (System.in.read() != -1) {
          // The parent never writes; only the end of the stream matters.
        }
      } catch (Exception ignored) {
        // A broken pipe means the same as its end.
      }
      System.exit(0);
    }, "stepwise-parent-watchdog");
    watchdog.setDaemon(true);
    watchdog.start();

    proxy.start();
  }
}
