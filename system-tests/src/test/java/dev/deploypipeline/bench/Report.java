package dev.deploypipeline.bench;

import java.io.PrintStream;
import java.util.ArrayList;
import java.util.List;

/** The benchmark's table, one row a workload: the pipeline's figure, its reference's, and how they compare. */
final class Report {

    private record Row(String workload, String pipeline, String reference, String comparison) {}

    private final List<Row> rows = new ArrayList<>();
    private final List<String> notes = new ArrayList<>();

    void row(String workload, String pipeline, String reference, String comparison) {
        rows.add(new Row(workload, pipeline, reference, comparison));
    }

    void note(String note) {
        notes.add(note);
    }

    void print(PrintStream out) {
        out.println();
        out.println("| workload | pipeline | reference | comparison (target) |");
        out.println("|---|---|---|---|");
        rows.forEach(row -> out.println("| " + row.workload() + " | " + row.pipeline() + " | " + row.reference() + " | "
                + row.comparison() + " |"));
        out.println();
        notes.forEach(note -> out.println("- " + note));
        out.flush();
    }
}
