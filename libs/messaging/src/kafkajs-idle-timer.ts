// kafkajs 2.2.4 (unmaintained, pinned) keeps a 1 ms timer running on every idle broker connection:
// after each check of its queue of requests waiting to be sent, it schedules the next check even
// when nothing waits, and with no throttling in force the delay it computes is negative, so Node
// runs it after 1 ms, for ever. An idle consumer spent 35 ms of CPU per second on it (11 without),
// and each service holds a dozen consumers. A check is only needed while requests wait: kafkajs
// schedules one again whenever it queues a request (push) and checks whenever a response frees a
// slot, so skipping the empty case loses nothing.
// eslint-disable-next-line @typescript-eslint/no-require-imports
const RequestQueue = require('kafkajs/src/network/requestQueue') as {
  prototype: { pending: unknown[]; scheduleCheckPendingRequests: () => void };
};

const original = RequestQueue.prototype.scheduleCheckPendingRequests;
if (!(original as { idleFixed?: boolean }).idleFixed) {
  const scheduleOnlyWhileWaiting = function (this: { pending: unknown[] }) {
    if (this.pending.length === 0) return;
    original.call(this);
  };
  (scheduleOnlyWhileWaiting as { idleFixed?: boolean }).idleFixed = true;
  RequestQueue.prototype.scheduleCheckPendingRequests = scheduleOnlyWhileWaiting;
}

export { RequestQueue as KafkaRequestQueue };
