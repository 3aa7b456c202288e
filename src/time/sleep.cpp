// time.Sleep on the scheduler's timers.
#include <gocxx/time/sleep.hpp>

#include <thread>

#include "park/park.hpp"
#include "sched/scheduler.hpp"

namespace gocxx::time {

namespace {
struct Sleeper {
    detail::TimerNode node;  // first member: the timer callback casts back
    detail::Token who;
};
}  // namespace

Time now() noexcept { return detail::clock_now(); }

void sleep_for(Duration d) {
    if (d <= Duration::zero()) return;
    if (!detail::current_g() && !detail::virtual_clock()) {
        std::this_thread::sleep_for(d);
        return;
    }
    Sleeper s;
    s.node.when = add(detail::clock_now(), d);
    s.node.fn = [](detail::TimerNode* n) { detail::unpark(reinterpret_cast<Sleeper*>(n)->who); };
    s.who = detail::park_token();
    // The timer is armed in the commit, after a goroutine's context is saved:
    // it may fire (and ready us) at once on another worker.
    detail::park(s.who, [](void* p) { detail::Scheduler::get().add_timer(&static_cast<Sleeper*>(p)->node); }, &s, detail::WaitReason::Sleep);
}

}  // namespace gocxx::time
