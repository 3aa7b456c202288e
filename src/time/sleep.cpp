// time.Sleep on the scheduler's timers.
#include <gocxx/time/sleep.hpp>

#include <thread>

#include "park/park.hpp"
#include "sched/scheduler.hpp"

namespace gocxx::time {

namespace {
struct Sleeper {
    detail::TimerNode node;  // first member: the timer callback casts back
    detail::G* g;
};
}  // namespace

void sleep_for(Duration d) {
    if (d <= Duration::zero()) return;
    detail::G* g = detail::current_g();
    if (!g) {
        std::this_thread::sleep_for(d);
        return;
    }
    Sleeper s;
    s.node.when = detail::Clock::now() + d;
    s.node.fn = [](detail::TimerNode* n) { detail::unpark(reinterpret_cast<detail::Token>(reinterpret_cast<Sleeper*>(n)->g)); };
    s.g = g;
    // The timer is armed in the commit, after our context is saved: it may
    // fire (and ready us) at once on another worker.
    detail::park(reinterpret_cast<detail::Token>(g),
                 [](void* p) { detail::Scheduler::get().add_timer(&static_cast<Sleeper*>(p)->node); }, &s);
}

}  // namespace gocxx::time
