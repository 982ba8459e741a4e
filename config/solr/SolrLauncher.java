import org.apache.solr.embedded.JettyConfig;
import org.apache.solr.embedded.JettySolrRunner;

/**
 * Starts a real Apache Solr 9 HTTP server on 127.0.0.1 for the local portal
 * and the test suite: Solr's own JettySolrRunner around a Solr home whose
 * cores are discovered through their core.properties.
 *
 * Usage: java -cp "classes:lib/*" SolrLauncher SOLR_HOME PORT
 */
public class SolrLauncher {
  public static void main(String[] args) throws Exception {
    if (args.length != 2) {
      System.err.println("usage: SolrLauncher SOLR_HOME PORT");
      System.exit(2);
    }
    // Makes JettySolrRunner bind the loopback interface only.
    System.setProperty("jetty.testMode", "true");
    JettyConfig config = JettyConfig.builder()
        .setPort(Integer.parseInt(args[1]))
        .setContext("/solr")
        .stopAtShutdown(true)
        .build();
    JettySolrRunner solr = new JettySolrRunner(args[0], config);
    solr.start();
    System.out.println("Solr listening on " + solr.getBaseUrl());
    Runtime.getRuntime().addShutdownHook(new Thread(() -> {
      try {
        solr.stop();
      } catch (Exception e) {
        e.printStackTrace();
      }
    }));
    Thread.currentThread().join();
  }
}
