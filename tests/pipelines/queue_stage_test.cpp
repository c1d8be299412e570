// QueueStage's settle after a renewal: the stage used to renew outside its lock and delete with
// the receipt it had read before the renewal's answer came back, so a handled message was not
// deleted (the service refused the dead receipt, which the stage took for "someone else has it")
// and ran again. Its renewals and settles are now the consumer's, under the message's lock.
#include "pipelines/queue_stage.hpp"

#include <gtest/gtest.h>

#include <thread>

#include "queuestore/queue_service_client.hpp"
#include "storage/pipeline.hpp"
#include "tests/queuestore/held_update_transport.hpp"
#include "tests/support/storage_test_environment.hpp"

namespace fanfold::pipelines {
namespace {

using queuestore::test::HeldUpdateTransport;

TEST(QueueStageTest, AMessageHandledWhileItsRenewalIsOnTheWireIsDeleted) {
  auto transport = std::make_shared<HeldUpdateTransport>(storage::DefaultTransport());
  storage::PipelineOptions pipeline;
  pipeline.transport = transport;
  const queuestore::QueueServiceClient service(testing::TestAccount(), pipeline);
  auto queue = service.GetQueueClient(testing::UniqueName("stage"));
  auto poison = service.GetQueueClient(testing::UniqueName("stagepoison"));
  ASSERT_TRUE(queue.ok() && poison.ok());
  ASSERT_TRUE(queue->Create().ok());
  ASSERT_TRUE(queue->PutMessage("slow work").ok());

  transport->Hold(true);  // the first renewal's answer waits for the test
  QueueStageOptions options;
  options.name = "test-stage";
  options.visibility_timeout = std::chrono::seconds(2);  // renewed within a second
  options.pacing.first_wait = std::chrono::milliseconds(5);
  options.pacing.idle_interval = std::chrono::milliseconds(20);
  QueueStage stage(*queue, *poison, options, [&](const queuestore::ReceivedMessage&) {
    transport->WaitForUpdates(1);  // finish while the renewal is on its way back
    return MessageOutcome::Done();
  });
  ASSERT_TRUE(stage.Prepare().ok());
  std::thread runner([&] { stage.Run(); });
  transport->WaitForUpdates(1);
  // The handler is done now; a settle that does not wait for the renewal deletes meanwhile.
  std::this_thread::sleep_for(std::chrono::milliseconds(300));
  transport->Hold(false);
  const auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(30);
  while (stage.stats().handled == 0 && std::chrono::steady_clock::now() < deadline)
    std::this_thread::sleep_for(std::chrono::milliseconds(10));
  stage.Stop();
  runner.join();
  EXPECT_EQ(stage.stats().handled, 1u);
  EXPECT_EQ(stage.stats().errors, 0u);
  auto properties = queue->GetProperties();
  ASSERT_TRUE(properties.ok());
  EXPECT_EQ(properties->approximate_message_count, 0)
      << "deleted with the receipt the renewal replaced: the message comes back and runs again";
  (void)queue->Delete();
  (void)poison->Delete();
}

}  // namespace
}  // namespace fanfold::pipelines
