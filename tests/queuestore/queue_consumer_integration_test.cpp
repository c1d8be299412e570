// QueueConsumer against Azurite: renewals keep the receipt the service gives back, a settle uses
// the receipt the last renewal left (even when the renewal was still on the wire when the settle
// was asked for), and poisoning keeps any bytes.
#include <gtest/gtest.h>

#include <atomic>
#include <condition_variable>
#include <mutex>
#include <thread>

#include "queuestore/poison_envelope.hpp"
#include "queuestore/queue_consumer.hpp"
#include "queuestore/queue_service_client.hpp"
#include "storage/pipeline.hpp"
#include "tests/queuestore/garbage_messages.hpp"
#include "tests/queuestore/held_update_transport.hpp"
#include "tests/support/storage_test_environment.hpp"

namespace fanfold::queuestore {
namespace {

using std::chrono::seconds;
using test::HeldUpdateTransport;

class QueueConsumerTest : public ::testing::Test {
 protected:
  void SetUp() override {
    transport_ = std::make_shared<HeldUpdateTransport>(storage::DefaultTransport());
    storage::PipelineOptions options;
    options.transport = transport_;
    options.retry.initial_delay = std::chrono::milliseconds(10);
    service_ = std::make_unique<QueueServiceClient>(testing::TestAccount(), options);
    queue_ = MakeQueue("cq");
    poison_ = MakeQueue("cp");
    QueueConsumerOptions consumer;
    consumer.name = "test";
    consumer.visibility_timeout = seconds(30);
    consumer.max_dequeue_count = 2;
    consumer_ = std::make_unique<QueueConsumer>(*queue_, *poison_, consumer);
  }
  void TearDown() override {
    transport_->Hold(false);
    if (queue_) (void)queue_->Delete();
    if (poison_) (void)poison_->Delete();
  }
  std::unique_ptr<QueueClient> MakeQueue(const std::string& prefix) {
    auto queue = service_->GetQueueClient(testing::UniqueName(prefix));
    EXPECT_TRUE(queue.ok());
    auto client = std::make_unique<QueueClient>(std::move(queue).value());
    EXPECT_TRUE(client->Create().ok());
    return client;
  }
  std::shared_ptr<HeldMessage> ReceiveOne() {
    auto received = consumer_->Receive(1);
    EXPECT_TRUE(received.ok());
    if (!received.ok() || received->size() != 1) return nullptr;
    return std::make_shared<HeldMessage>(std::move(received->front()));
  }
  // Messages left, hidden ones included.
  int64_t Count(const QueueClient& queue) {
    auto properties = queue.GetProperties();
    EXPECT_TRUE(properties.ok());
    return properties.ok() ? properties->approximate_message_count : -1;
  }

  std::shared_ptr<HeldUpdateTransport> transport_;
  std::unique_ptr<QueueServiceClient> service_;
  std::unique_ptr<QueueClient> queue_;
  std::unique_ptr<QueueClient> poison_;
  std::unique_ptr<QueueConsumer> consumer_;
};

TEST_F(QueueConsumerTest, ARenewalKeepsTheNewReceiptAndTheDeleteUsesIt) {
  ASSERT_TRUE(queue_->PutMessage("work").ok());
  auto held = ReceiveOne();
  ASSERT_NE(held, nullptr);
  const std::string first = held->pop_receipt();
  ASSERT_TRUE(consumer_->Renew(*held).ok());
  ASSERT_TRUE(consumer_->Renew(*held).ok());
  EXPECT_NE(held->pop_receipt(), first);
  // The first receipt is dead: deleting with it would not delete the message.
  EXPECT_FALSE(queue_->DeleteMessage(held->id(), first).ok());
  ASSERT_TRUE(consumer_->Delete(*held).ok());
  EXPECT_TRUE(held->settled());
  EXPECT_EQ(Count(*queue_), 0);
}

// The defect this consumer replaced: a renewal on the wire while the handler finishes, and a
// delete sent with the receipt the renewal is about to replace. Here the delete waits for the
// renewal's answer and uses its receipt.
TEST_F(QueueConsumerTest, ASettleAskedForDuringARenewalUsesTheRenewedReceipt) {
  ASSERT_TRUE(queue_->PutMessage("work").ok());
  auto held = ReceiveOne();
  ASSERT_NE(held, nullptr);
  transport_->Hold(true);
  std::thread renewal([&] { EXPECT_TRUE(consumer_->Renew(*held).ok()); });
  transport_->WaitForUpdates(1);  // the service has renewed; its answer is held back
  storage::Status deleted;
  std::thread settle([&] { deleted = consumer_->Delete(*held); });
  std::this_thread::sleep_for(std::chrono::milliseconds(200));  // give the delete its chance
  EXPECT_EQ(transport_->deletes_sent(), 0) << "the delete did not wait for the renewal";
  transport_->Hold(false);
  renewal.join();
  settle.join();
  EXPECT_TRUE(deleted.ok()) << deleted.ToString();
  EXPECT_EQ(Count(*queue_), 0) << "deleted with a dead receipt: the message would come back";
}

TEST_F(QueueConsumerTest, TheRenewerRenewsUntilRemovedAndNothingAfterASettle) {
  QueueConsumerOptions options = consumer_->options();
  options.visibility_timeout = seconds(3);  // renewed every second
  const QueueConsumer consumer(*queue_, *poison_, options);
  ASSERT_TRUE(queue_->PutMessage("long work").ok());
  auto received = consumer.Receive(1);
  ASSERT_TRUE(received.ok());
  ASSERT_EQ(received->size(), 1u);
  auto held = std::make_shared<HeldMessage>(std::move(received->front()));
  const std::string first = held->pop_receipt();
  VisibilityRenewer renewer(consumer);
  renewer.Add(held);
  transport_->WaitForUpdates(2);
  EXPECT_GE(renewer.renewals(), 1u);
  EXPECT_NE(held->pop_receipt(), first);
  renewer.Remove(*held);
  ASSERT_TRUE(consumer.Delete(*held).ok());
  EXPECT_EQ(Count(*queue_), 0);
  // Renewing a settled message sends nothing.
  EXPECT_TRUE(consumer.Renew(*held).ok());
}

TEST_F(QueueConsumerTest, PoisonKeepsAnyBytesWithTheReasonAndUsesTheCurrentReceipt) {
  const auto garbage = test::GarbageFor(R"({"id":"m","instance":"i","tasks":[]})");
  test::PutGarbage(*queue_, garbage);
  for (size_t i = 0; i < garbage.size(); ++i) {
    auto held = ReceiveOne();
    ASSERT_NE(held, nullptr);
    ASSERT_TRUE(consumer_->Renew(*held).ok());  // the first receipt is dead from here on
    ASSERT_TRUE(
        consumer_->Poison(*held, UnreadableReason("test message", held->message().content)).ok());
  }
  EXPECT_EQ(Count(*queue_), 0);
  test::ExpectPoisonHoldsExactly(*poison_, {{queue_->name(), garbage}});
  for (const auto& envelope : test::PoisonEnvelopes(*poison_)) {
    EXPECT_EQ(envelope.reason.rfind("unreadable test message: ", 0), 0u) << envelope.reason;
    EXPECT_EQ(envelope.from, queue_->name());
    EXPECT_EQ(envelope.dequeue_count, 1);
    EXPECT_FALSE(envelope.time.empty());
  }
}

TEST_F(QueueConsumerTest, TheDequeueLimitIsCountedFromDeliveries) {
  ASSERT_TRUE(queue_->PutMessage("dies each time").ok());
  for (int delivery = 1; delivery <= 3; ++delivery) {
    auto held = ReceiveOne();
    ASSERT_NE(held, nullptr);
    EXPECT_EQ(consumer_->OverDequeueLimit(held->message()), delivery > 2);
    ASSERT_TRUE(consumer_->Release(*held, seconds(0)).ok());
  }
}

}  // namespace
}  // namespace fanfold::queuestore
