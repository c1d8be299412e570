// The report's figures, built from the results: what each plots and from which runs. Each
// figure comes with the caption the report prints under it (naming the results file).
#pragma once

#include <string>
#include <vector>

#include "report/gnuplot.hpp"
#include "report/prices.hpp"
#include "report/results.hpp"
#include "storage/result.hpp"

namespace fanfold::report {

struct ReportFigure {
  std::string key;  // the template placeholder suffix: {{figure.<key>}}
  Figure figure;
  std::string caption;  // what it shows and where the numbers come from
};

storage::Result<std::vector<ReportFigure>> BuildFigures(const PipelineResults& results,
                                                        const PriceTable& prices);

// The run whose chunk spans the Gantt figure shows for a pipeline: the widest fan-out on the
// preferred file (sf10) with the preferred worker count (4), else the widest on the largest file
// with the most workers. nullptr when the pipeline has no completed run with spans.
const FanoutRun* GanttRun(const PipelineResults& results, const std::string& pipeline);

// Assigns each span a row inside its worker's lane so that spans on one row never overlap
// (a worker runs several chunks at once); returns the row of each span and the rows per worker.
std::vector<int> PackLanes(const std::vector<Span>& spans, int* rows_used);

}  // namespace fanfold::report
