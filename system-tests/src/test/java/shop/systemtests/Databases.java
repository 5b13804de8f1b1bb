package shop.systemtests;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.ResultSetMetaData;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The machine's PostgreSQL (127.0.0.1:5432, trust auth as {@code postgres}), reached directly by the tests and the
 * benchmark: to create databases, set up what a crash would have left, and look at state the API does not show.
 */
public final class Databases {

    public static Connection connect(String db) throws SQLException {
        return DriverManager.getConnection("jdbc:postgresql://127.0.0.1:5432/" + db, "postgres", "");
    }

    /** Drops and creates a database (an empty one: a service migrates it when it starts). */
    public static void recreate(String db) {
        try (Connection c = connect("postgres"); var st = c.createStatement()) {
            st.execute("DROP DATABASE IF EXISTS " + db + " WITH (FORCE)");
            st.execute("CREATE DATABASE " + db);
        } catch (SQLException e) {
            throw new IllegalStateException("PostgreSQL must run on 127.0.0.1:5432 (see README)", e);
        }
    }

    public static void execute(String db, String sql, Object... args) {
        try (Connection c = connect(db); PreparedStatement ps = prepare(c, sql, args)) {
            ps.executeUpdate();
        } catch (SQLException e) {
            throw new IllegalStateException(sql, e);
        }
    }

    /** The rows of a query, each a map of column label to value. */
    public static List<Map<String, Object>> query(String db, String sql, Object... args) {
        try (Connection c = connect(db); PreparedStatement ps = prepare(c, sql, args); ResultSet rs = ps.executeQuery()) {
            List<Map<String, Object>> rows = new ArrayList<>();
            ResultSetMetaData meta = rs.getMetaData();
            while (rs.next()) {
                Map<String, Object> row = new LinkedHashMap<>();
                for (int i = 1; i <= meta.getColumnCount(); i++) {
                    row.put(meta.getColumnLabel(i), rs.getObject(i));
                }
                rows.add(row);
            }
            return rows;
        } catch (SQLException e) {
            throw new IllegalStateException(sql, e);
        }
    }

    /** The single number a query answers (a count, a sum). */
    public static long count(String db, String sql, Object... args) {
        try (Connection c = connect(db); PreparedStatement ps = prepare(c, sql, args); ResultSet rs = ps.executeQuery()) {
            rs.next();
            return rs.getLong(1);
        } catch (SQLException e) {
            throw new IllegalStateException(sql, e);
        }
    }

    private static PreparedStatement prepare(Connection c, String sql, Object... args) throws SQLException {
        PreparedStatement ps = c.prepareStatement(sql);
        for (int i = 0; i < args.length; i++) {
            ps.setObject(i + 1, args[i]);
        }
        return ps;
    }

    private Databases() {
    }
}
