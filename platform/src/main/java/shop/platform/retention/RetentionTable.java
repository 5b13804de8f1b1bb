package shop.platform.retention;

/**
 * A table whose rows the retention job deletes once they are older than the retention: {@code timestampColumn}
 * is the row's age, {@code condition} (SQL over the alias {@code t}, or null) what else must hold for a row to
 * be deletable - a tombstone still guarding unsettled money is kept, however old. Given by code, never input.
 */
public record RetentionTable(String table, String timestampColumn, String condition) {

    public RetentionTable {
        if (table == null || !table.matches("[a-z_][a-z0-9_]*") || timestampColumn == null || !timestampColumn.matches("[a-z_][a-z0-9_]*")) {
            throw new IllegalArgumentException("retention table and column must be plain SQL identifiers: " + table + "." + timestampColumn);
        }
    }

    public static RetentionTable of(String table, String timestampColumn) {
        return new RetentionTable(table, timestampColumn, null);
    }
}
