#include "dashboard/job_query.hpp"

#include <algorithm>
#include <cctype>
#include <charconv>

#include "pipelines/tenant_report.hpp"
#include "storage/ascii_text.hpp"

namespace fanfold::dashboard {
namespace {

using pipelines::JobRow;

std::string Lower(std::string text) {
  for (char& c : text)
    c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  return text;
}

storage::Result<std::size_t> Count(const std::string& name, const std::string& text,
                                   std::size_t max) {
  std::size_t value = 0;
  const auto [end, error] = std::from_chars(text.data(), text.data() + text.size(), value);
  if (error != std::errc() || end != text.data() + text.size() || value > max) {
    return storage::Status::InvalidArgument(name + " must be a whole number up to " +
                                            std::to_string(max));
  }
  return value;
}

storage::Result<tablestore::EdmDateTime> Time(const std::string& name, const std::string& text) {
  auto parsed = tablestore::ParseEdmDateTime(text);
  if (!parsed) {
    return storage::Status::InvalidArgument(name +
                                            " must be an ISO 8601 UTC time such as "
                                            "2026-12-05T09:00:00Z");
  }
  return *parsed;
}

const std::vector<std::string>& SortKeys() {
  static const std::vector<std::string> keys = {"job",     "file",    "tenant",   "pipeline",
                                                "state",   "rows",    "rejected", "size",
                                                "created", "duration"};
  return keys;
}

// -1, 0, 1 by the sort key; ties are broken by the caller.
int Compare(const JobRow& a, const JobRow& b, const std::string& key, tablestore::EdmDateTime now) {
  const auto order = [](const auto& x, const auto& y) { return x < y ? -1 : (y < x ? 1 : 0); };
  if (key == "file") return order(a.blob, b.blob);
  if (key == "tenant") return order(pipelines::TenantOfJob(a), pipelines::TenantOfJob(b));
  if (key == "pipeline") return order(a.pipeline, b.pipeline);
  if (key == "state") {
    return order(std::string(pipelines::JobStateName(a.state)),
                 std::string(pipelines::JobStateName(b.state)));
  }
  if (key == "rows") return order(a.rows, b.rows);
  if (key == "rejected") return order(a.rejected, b.rejected);
  if (key == "size") return order(a.size, b.size);
  if (key == "created") {
    // A row without a creation time sorts as the oldest.
    return order(a.created.value_or(tablestore::EdmDateTime{}),
                 b.created.value_or(tablestore::EdmDateTime{}));
  }
  if (key == "duration") return order(JobDurationSeconds(a, now), JobDurationSeconds(b, now));
  return 0;  // "job": the tie-break decides
}

}  // namespace

double JobDurationSeconds(const JobRow& row, tablestore::EdmDateTime now) {
  if (!row.created) return 0;
  const auto end = row.finished.value_or(now);
  if (end < *row.created) return 0;
  return std::chrono::duration<double>(end - *row.created).count();
}

storage::Result<JobQuery> ParseJobQuery(const std::multimap<std::string, std::string>& params) {
  JobQuery query;
  for (const auto& [name, value] : params) {
    if (value.empty() && name != "tenant") continue;  // an empty filter box filters nothing
    if (name == "state") {
      for (const std::string& one : storage::SplitCommas(value)) {
        const auto state = pipelines::ParseJobState(one);
        if (!state) {
          return storage::Status::InvalidArgument(
              "state: '" + one + "' is none of Queued, Running, Completed, Failed, Refused");
        }
        query.states.push_back(*state);
      }
    } else if (name == "pipeline") {
      if (value != "orchestrated" && value != "chained") {
        return storage::Status::InvalidArgument("pipeline must be orchestrated or chained");
      }
      query.pipeline = value;
    } else if (name == "tenant") {
      query.tenant = value;
    } else if (name == "file") {
      query.file_contains = Lower(value);
    } else if (name == "from") {
      auto time = Time("from", value);
      if (!time.ok()) return time.status();
      query.created_from = *time;
    } else if (name == "to") {
      auto time = Time("to", value);
      if (!time.ok()) return time.status();
      query.created_to = *time;
    } else if (name == "sort") {
      if (std::find(SortKeys().begin(), SortKeys().end(), value) == SortKeys().end()) {
        return storage::Status::InvalidArgument("sort: no column '" + value + "'");
      }
      query.sort = value;
    } else if (name == "order") {
      if (value != "asc" && value != "desc") {
        return storage::Status::InvalidArgument("order must be asc or desc");
      }
      query.descending = value == "desc";
    } else if (name == "offset") {
      auto offset = Count("offset", value, 100'000'000);
      if (!offset.ok()) return offset.status();
      query.offset = *offset;
    } else if (name == "limit") {
      auto limit = Count("limit", value, kMaxJobsPerPage);
      if (!limit.ok()) return limit.status();
      if (*limit == 0) return storage::Status::InvalidArgument("limit must be at least 1");
      query.limit = *limit;
    }
    // Other parameters (a cache-buster, say) are ignored, as a web page's would be.
  }
  return query;
}

JobSelector::JobSelector(JobQuery query, tablestore::EdmDateTime now)
    : query_(std::move(query)), now_(now) {}

bool JobSelector::Matches(const JobRow& row) const {
  if (!query_.states.empty() &&
      std::find(query_.states.begin(), query_.states.end(), row.state) == query_.states.end()) {
    return false;
  }
  if (!query_.pipeline.empty() && row.pipeline != query_.pipeline) return false;
  if (query_.tenant && pipelines::TenantOfJob(row) != *query_.tenant) return false;
  if (!query_.file_contains.empty() &&
      Lower(row.blob).find(query_.file_contains) == std::string::npos) {
    return false;
  }
  if (query_.created_from && (!row.created || *row.created < *query_.created_from)) return false;
  if (query_.created_to && (!row.created || !(*row.created < *query_.created_to))) return false;
  return true;
}

bool JobSelector::Before(const JobRow& a, const JobRow& b) const {
  int order = Compare(a, b, query_.sort, now_);
  if (order == 0) order = a.job < b.job ? -1 : (b.job < a.job ? 1 : 0);
  return query_.descending ? order > 0 : order < 0;
}

void JobSelector::Offer(const JobRow& row) {
  if (!Matches(row)) return;
  ++total_;
  tenants_.Add(row);
  const std::size_t keep = query_.offset + query_.limit;
  const auto before = [this](const JobRow& a, const JobRow& b) { return Before(a, b); };
  if (best_.size() == keep && !Before(row, best_.front())) return;
  JobRow fields = row;  // what sorting reads; the rest comes back whole in the second pass
  fields.error.clear();
  fields.failed_chunks.clear();
  fields.result.clear();
  fields.spec.clear();
  best_.push_back(std::move(fields));
  std::push_heap(best_.begin(), best_.end(), before);
  if (best_.size() > keep) {
    std::pop_heap(best_.begin(), best_.end(), before);
    best_.pop_back();
  }
}

std::vector<std::string> JobSelector::PageIds() const {
  std::vector<const JobRow*> sorted;
  for (const auto& row : best_)
    sorted.push_back(&row);
  std::sort(sorted.begin(), sorted.end(),
            [this](const JobRow* a, const JobRow* b) { return Before(*a, *b); });
  std::vector<std::string> ids;
  for (std::size_t i = query_.offset; i < sorted.size(); ++i)
    ids.push_back(sorted[i]->job);
  return ids;
}

void JobSelector::Collect(JobRow row) {
  if (!page_ids_) {
    page_ids_ = PageIds();
    on_page_.insert(page_ids_->begin(), page_ids_->end());
  }
  if (!on_page_.contains(row.job)) return;
  std::string job = row.job;
  page_rows_.insert_or_assign(std::move(job), std::move(row));
}

std::vector<JobRow> JobSelector::TakePage() {
  if (!page_ids_) page_ids_ = PageIds();
  std::vector<JobRow> page;
  for (const auto& id : *page_ids_) {
    auto found = page_rows_.find(id);
    if (found != page_rows_.end()) page.push_back(std::move(found->second));
  }
  page_rows_.clear();
  return page;
}

JobSelection SelectJobs(const std::vector<JobRow>& rows, const JobQuery& query,
                        tablestore::EdmDateTime now) {
  JobSelector selector(query, now);
  for (const auto& row : rows)
    selector.Offer(row);
  for (const auto& row : rows)
    selector.Collect(row);
  JobSelection selection;
  selection.total = selector.total();
  selection.tenants = selector.tenants().Reports();
  selection.page = selector.TakePage();
  return selection;
}

}  // namespace fanfold::dashboard
