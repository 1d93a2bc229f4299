import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import io.ocfl.api.OcflRepository;
import io.ocfl.api.io.FixityCheckInputStream;
import io.ocfl.api.model.ObjectDetails;
import io.ocfl.api.model.ObjectVersionId;
import io.ocfl.api.model.OcflObjectVersion;
import io.ocfl.api.model.OcflObjectVersionFile;
import io.ocfl.api.model.ValidationIssue;
import io.ocfl.api.model.ValidationResults;
import io.ocfl.api.model.VersionNum;
import io.ocfl.core.OcflRepositoryBuilder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * Strongroom's second opinion from ocfl-java, the library Fedora 6 stores through.
 *
 * <p>Usage: {@code OcflJavaReferee <storage-root> <object-id>...}. Opens the filesystem storage
 * root with ocfl-java (its layout comes from the root's own {@code ocfl_layout.json}; only read
 * calls are made), validates each object with content fixity, and reads every logical file of
 * every version back through ocfl-java, printing the SHA-256 of the bytes it returned, so the
 * caller can compare them with what it wrote. One JSON document on stdout; ocfl-java's log on
 * stderr. A failure to open the root is the only non-zero exit: everything about an object
 * (validation issues, exceptions while reading) is reported in the JSON instead.
 */
public final class OcflJavaReferee {
  public static void main(String[] args) throws Exception {
    if (args.length < 2) {
      System.err.println("usage: OcflJavaReferee <storage-root> <object-id>...");
      System.exit(2);
    }
    Path root = Path.of(args[0]);
    // ocfl-java needs a work directory for staging writes; we never write, but it must exist.
    Path work = Files.createTempDirectory("ocfl-java-referee-");
    Map<String, Object> out = new LinkedHashMap<>();
    out.put("ocflJava", versionOf(OcflRepositoryBuilder.class));
    List<Object> objects = new ArrayList<>();
    try {
      OcflRepository repo =
          new OcflRepositoryBuilder().storage(s -> s.fileSystem(root)).workDir(work).build();
      for (int i = 1; i < args.length; i++) objects.add(referee(repo, args[i]));
      repo.close();
    } finally {
      Files.deleteIfExists(work);
    }
    out.put("objects", objects);
    new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT).writeValue(System.out, out);
  }

  private static Map<String, Object> referee(OcflRepository repo, String id) {
    Map<String, Object> result = new LinkedHashMap<>();
    result.put("id", id);
    try {
      result.put("exists", repo.containsObject(id));
      ValidationResults v = repo.validateObject(id, true);
      result.put("errors", issues(v.getErrors()));
      result.put("warnings", issues(v.getWarnings()));
      result.put("infos", issues(v.getInfos()));
      ObjectDetails details = repo.describeObject(id);
      result.put("head", details.getHeadVersionNum().toString());
      result.put("digestAlgorithm", details.getDigestAlgorithm().getOcflName());
      Map<String, Object> versions = new LinkedHashMap<>();
      for (VersionNum num : new TreeMap<>(details.getVersionMap()).keySet()) {
        versions.put(num.toString(), files(repo.getObject(ObjectVersionId.version(id, num))));
      }
      result.put("versions", versions);
    } catch (Exception e) {
      result.put("exception", e.getClass().getName() + ": " + e.getMessage());
    }
    return result;
  }

  /** The logical files of one version: digests from the inventory, SHA-256 of the bytes read. */
  private static List<Object> files(OcflObjectVersion version) {
    List<Object> list = new ArrayList<>();
    for (OcflObjectVersionFile file : version.getFiles()) {
      Map<String, Object> f = new LinkedHashMap<>();
      f.put("path", file.getPath());
      f.put("storagePath", file.getStorageRelativePath());
      Map<String, String> fixity = new TreeMap<>();
      file.getFixity().forEach((alg, value) -> fixity.put(alg.getOcflName(), value));
      f.put("fixity", fixity);
      try (FixityCheckInputStream in = file.getStream()) {
        MessageDigest sha256 = MessageDigest.getInstance("SHA-256");
        long size = 0;
        byte[] buf = new byte[1 << 16];
        for (int n; (n = in.read(buf)) != -1; size += n) sha256.update(buf, 0, n);
        // ocfl-java's own check of the bytes against the inventory digest.
        in.checkFixity();
        f.put("size", size);
        f.put("sha256", HexFormat.of().formatHex(sha256.digest()));
      } catch (Exception e) {
        f.put("exception", e.getClass().getName() + ": " + e.getMessage());
      }
      list.add(f);
    }
    return list;
  }

  private static List<Object> issues(List<ValidationIssue> issues) {
    List<Object> list = new ArrayList<>();
    for (ValidationIssue issue : issues) {
      list.add(Map.of("code", String.valueOf(issue.getCode()), "message", issue.getMessage()));
    }
    return list;
  }

  /** The version in the jar's manifest, else the jar's file name (ocfl-java-core-2.2.2.jar). */
  private static String versionOf(Class<?> type) {
    String v = type.getPackage().getImplementationVersion();
    if (v != null) return v;
    String jar = type.getProtectionDomain().getCodeSource().getLocation().getPath();
    return jar.substring(jar.lastIndexOf('/') + 1).replaceFirst("\\.jar$", "");
  }

  private OcflJavaReferee() {}
}
