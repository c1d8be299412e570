// `fanfold upload --tenant T`: the tenant's limits checked on the client before a byte is sent
// (the trigger checks them again: a client can lie), and the upload under "<T>/<base name>".
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "pipelines/pipeline_context.hpp"
#include "pipelines/tenants.hpp"
#include "pipelines/upload.hpp"
#include "pipelines/upload_metadata.hpp"
#include "storage/result.hpp"

namespace fanfold::pipelines {

struct TenantUploadCheck {
  // Why the upload is refused (which limit, the value, the allowed value, what to do); empty:
  // it may go.
  std::string refusal;
  // Not a refusal: all of the tenant's slots are taken, so the jobs will wait Queued.
  std::string notice;
};

// Format (sniffed from each file's head as the trigger's probe does, or --format), size, the
// tenant's stored bytes with these files (one listing), and its running jobs (slot row + one read
// per holder). `config` null: no limits.
storage::Result<TenantUploadCheck> CheckTenantUpload(const PipelineContext& context,
                                                     const TenantsConfig* config,
                                                     const std::string& tenant,
                                                     const std::vector<std::string>& files,
                                                     const UploadOptions& options);

// As the plain upload (same metadata, content digest and event), with each blob named
// "<tenant>/<base name>". The caller has checked the files (distinct base names, readable).
storage::Result<std::vector<UploadedJob>> UploadTenantFiles(const PipelineContext& context,
                                                            const std::string& tenant,
                                                            const std::vector<std::string>& files,
                                                            const UploadOptions& options);

}  // namespace fanfold::pipelines
