// Seeded randomized tester: goroutines and plain threads send, receive,
// select (receive, send, default, nil and time::after cases), close and time
// out over a shared set of channels, every choice drawn from a PRNG.
//
//   GOCXX_SEED=N               base seed (default: a fixed one); round r of
//                              each test uses seed N + r, so a failing round's
//                              seed, given as GOCXX_SEED, is round 0 again
//   GOCXX_STRESS_SECONDS=600   the `soak` test runs rounds with successive
//                              seeds until the time is up (default: a few)
//
// Each round checks conservation (every value sent is received exactly once,
// counted per value id), that no value is received from a channel after a
// receiver saw it closed and drained, that each round finishes (a watchdog
// that reports the seed and exits instead of hanging), and clean teardown
// (goroutine count back to its baseline, no payload object alive).
//
// Closing is race-free by construction (Go's rule): a designated closer
// closes a channel only after every sender on it is done. The close_race
// tests are the exception: there senders race the closers on purpose, and
// each send either completes (its value is received once) or throws
// Panic("send on closed channel") (its value is never received).
#define BOOST_TEST_MODULE random
#include "fixture.hpp"
#include "helpers.hpp"

#include <algorithm>
#include <atomic>
#include <chrono>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <deque>
#include <iostream>
#include <memory>
#include <mutex>
#include <sstream>
#include <string>
#include <thread>
#include <utility>
#include <vector>

using namespace gocxx;
using namespace std::chrono_literals;
using gocxx::test::Caller;
using gocxx::test::Counted;
using gocxx::test::goroutines_drop_to;
using gocxx::test::kStressScale;
using gocxx::test::run_as;
using gocxx::test::scaled;

namespace {

using Clock = std::chrono::steady_clock;
using Chan = Channel<Counted>;

constexpr std::uint64_t kDefaultSeed = 20240611;

std::uint64_t base_seed() {
    static const std::uint64_t s = [] {
        const char* e = std::getenv("GOCXX_SEED");
        if (e && *e) return static_cast<std::uint64_t>(std::strtoull(e, nullptr, 0));
        return kDefaultSeed;
    }();
    return s;
}

long stress_seconds() {
    const char* e = std::getenv("GOCXX_STRESS_SECONDS");
    return e && *e ? std::strtol(e, nullptr, 10) : 0;
}

// A round that has not finished after this long is reported as a deadlock.
constexpr auto kWatchdog = 60s;

struct Announce {
    Announce() {
        std::cout << "random_test: base seed " << base_seed()
                  << " (set GOCXX_SEED to choose it; GOCXX_STRESS_SECONDS=N for a long soak)" << std::endl;
    }
};
BOOST_TEST_GLOBAL_FIXTURE(Announce);

// splitmix64: small, fast, and the same everywhere.
struct Rng {
    std::uint64_t s;
    explicit Rng(std::uint64_t seed) : s(seed) {}
    std::uint64_t next() {
        std::uint64_t z = (s += 0x9E3779B97F4A7C15ULL);
        z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9ULL;
        z = (z ^ (z >> 27)) * 0x94D049BB133111EBULL;
        return z ^ (z >> 31);
    }
    int below(int n) { return static_cast<int>(next() % static_cast<std::uint64_t>(n)); }
    int between(int lo, int hi) { return lo + below(hi - lo + 1); }
    bool chance(int percent) { return below(100) < percent; }
    template <class V>
    const auto& pick(const V& v) { return v[static_cast<std::size_t>(below(static_cast<int>(v.size())))]; }
};

// A random non-empty subset of 0..n-1 with at most `most` elements.
std::vector<int> subset(Rng& rng, int n, int most) {
    std::vector<int> all(static_cast<std::size_t>(n));
    for (int i = 0; i < n; ++i) all[static_cast<std::size_t>(i)] = i;
    for (int i = n - 1; i > 0; --i)
        std::swap(all[static_cast<std::size_t>(i)], all[static_cast<std::size_t>(rng.below(i + 1))]);
    all.resize(static_cast<std::size_t>(rng.between(1, std::min(n, most))));
    return all;
}

std::string join(const std::vector<int>& v) {
    std::ostringstream os;
    for (std::size_t i = 0; i < v.size(); ++i) os << (i ? "," : "") << v[i];
    return os.str();
}

// Totals over many rounds (for the soak summary).
struct Totals {
    long rounds = 0, ops = 0, values = 0, timeouts = 0, defaults = 0, panics = 0;
    std::vector<std::uint64_t> failed;
};

// Round watchdog: waits for `done` to close, or reports `what` and exits.
template <class Describe>
void await_round(const Channel<Unit>& done, Describe&& what) {
    bool finished = false;
    select(case_recv(done, [&] { finished = true; }), case_recv(time::after(kWatchdog)));
    if (finished) return;
    const std::string msg = "random_test WATCHDOG: round did not finish within " +
                            std::to_string(std::chrono::duration_cast<std::chrono::seconds>(kWatchdog).count()) +
                            " s (deadlock?): " + what();
    std::cout << msg << std::endl;
    std::cerr << msg << std::endl;
    std::_Exit(3);  // the round's goroutines and threads still use its state
}

// Unexpected exceptions inside actors (they would end the process otherwise).
struct Unexpected {
    std::mutex mu;
    std::string first;
    std::atomic<int> n{0};
    void note(const std::string& what) {
        n.fetch_add(1);
        std::lock_guard<std::mutex> lk(mu);
        if (first.empty()) first = what;
    }
    template <class F>
    void guard(F&& f) {
        try {
            f();
        } catch (const std::exception& e) {
            note(e.what());
        } catch (...) {
            note("non-std exception");
        }
    }
};

// ---------------------------------------------------------------------------
// The main random round: producers -> layer-0 channels -> forwarders ->
// layer-1 channels -> sinks, sinks also reading layer-0 channels. Every
// blocking wait of a receiving actor covers all of its live inputs, so the
// graph has no cycle of waits and every round can finish.

constexpr int kMaxLayer = 3;   // channels per layer
constexpr int kSlots = 6;      // receive slots in a sink's select (>= all channels)

struct Config {
    std::uint64_t seed = 0;
    int n0 = 1, n1 = 0;
    std::vector<long> caps;  // n0 + n1
    int gprod = 1, tprod = 0, gfwd = 0, tfwd = 0, gsink = 1, tsink = 0;
    int nvalues = 0;
    int timeout_pct = 0, default_pct = 0, extra_pct = 0;
    bool closer_thread = false;
    std::vector<std::vector<int>> prod_out, fwd_in, fwd_out, sink_in;

    int nprod() const { return gprod + tprod; }
    int nfwd() const { return gfwd + tfwd; }
    int nsink() const { return gsink + tsink; }

    std::string describe() const {
        std::ostringstream os;
        os << "seed " << seed << ": caps [";
        for (std::size_t i = 0; i < caps.size(); ++i)
            os << (i ? "," : "") << caps[i] << (static_cast<int>(i) < n0 ? "" : "'");
        os << "] producers " << gprod << "g+" << tprod << "t, forwarders " << gfwd << "g+" << tfwd
           << "t, sinks " << gsink << "g+" << tsink << "t, values " << nvalues << ", timeout " << timeout_pct
           << "%, default " << default_pct << "%, closer " << (closer_thread ? "thread" : "goroutine");
        for (int p = 0; p < nprod(); ++p)
            os << " P" << p << "->{" << join(prod_out[static_cast<std::size_t>(p)]) << "}";
        for (int f = 0; f < nfwd(); ++f)
            os << " F" << f << ":{" << join(fwd_in[static_cast<std::size_t>(f)]) << "}->{"
               << join(fwd_out[static_cast<std::size_t>(f)]) << "}";
        for (int s = 0; s < nsink(); ++s) os << " S" << s << "<-{" << join(sink_in[static_cast<std::size_t>(s)]) << "}";
        return os.str();
    }
};

Config make_config(std::uint64_t seed) {
    Rng rng(seed);
    Config c;
    c.seed = seed;
    static const long kCaps[] = {0, 0, 1, 1, 2, 3, 5, 8};
    c.n0 = rng.between(1, kMaxLayer);
    c.n1 = rng.between(0, kMaxLayer);
    for (int i = 0; i < c.n0 + c.n1; ++i) c.caps.push_back(kCaps[rng.below(8)]);
    c.gprod = rng.between(0, 5);
    c.tprod = rng.between(c.gprod == 0 ? 1 : 0, 2);
    if (c.n1 > 0) {
        c.gfwd = rng.between(0, 3);
        c.tfwd = rng.between(c.gfwd == 0 ? 1 : 0, 1);
    }
    c.gsink = rng.between(0, 5);
    c.tsink = rng.between(c.gsink == 0 ? 1 : 0, 2);
    const int most = static_cast<int>(scaled(4000) * kStressScale);
    c.nvalues = rng.between(std::max(1, most / 8), most);
    static const int kPct[] = {0, 5, 20, 50};
    c.timeout_pct = kPct[rng.below(4)];
    c.default_pct = kPct[rng.below(4)];
    c.extra_pct = kPct[rng.below(4)];
    c.closer_thread = rng.chance(30);

    const int nchan = c.n0 + c.n1;
    for (int p = 0; p < c.nprod(); ++p) c.prod_out.push_back(subset(rng, c.n0, c.n0));
    for (int f = 0; f < c.nfwd(); ++f) {
        c.fwd_in.push_back(subset(rng, c.n0, c.n0));
        std::vector<int> out = subset(rng, c.n1, c.n1);
        for (int& o : out) o += c.n0;
        c.fwd_out.push_back(out);
    }
    for (int s = 0; s < c.nsink(); ++s) c.sink_in.push_back(subset(rng, nchan, nchan));
    // Every layer-0 channel needs a reader (a forwarder or a sink), every
    // layer-1 channel a sink.
    for (int ch = 0; ch < nchan; ++ch) {
        bool read = false;
        for (auto& in : c.sink_in) read = read || std::count(in.begin(), in.end(), ch) > 0;
        if (ch < c.n0)
            for (auto& in : c.fwd_in) read = read || std::count(in.begin(), in.end(), ch) > 0;
        if (read) continue;
        const int nreaders = ch < c.n0 ? c.nsink() + c.nfwd() : c.nsink();
        const int r = rng.below(nreaders);
        if (r < c.nsink()) c.sink_in[static_cast<std::size_t>(r)].push_back(ch);
        else c.fwd_in[static_cast<std::size_t>(r - c.nsink())].push_back(ch);
    }
    return c;
}

struct Round {
    Config cfg;
    std::vector<Chan> chans;
    Chan quiet;  // never sent on, never closed: a receive case on it never fires
    std::vector<std::atomic<bool>> drained;
    std::vector<std::atomic<int>> seen;
    sync::WaitGroup producers, forwarders, all;
    Unexpected unexpected;

    std::atomic<long> ops{0}, received{0}, timeouts{0}, defaults{0};
    std::atomic<long> out_of_range{0}, after_drain{0}, bad_zero{0}, bad_probe{0}, bad_index{0}, bad_quiet{0},
        bad_untouched{0};
    std::atomic<int> prod_done{0}, fwd_done{0}, sink_done{0}, closer_done{0};

    explicit Round(Config c)
        : cfg(std::move(c)), drained(cfg.caps.size()), seen(static_cast<std::size_t>(cfg.nvalues)) {
        for (long cap : cfg.caps) chans.emplace_back(cap);
    }

    void record(int v, int ch, bool was_drained) {
        if (was_drained) after_drain.fetch_add(1, std::memory_order_relaxed);
        if (v < 0 || v >= cfg.nvalues) {
            out_of_range.fetch_add(1, std::memory_order_relaxed);
            return;
        }
        (void)ch;
        seen[static_cast<std::size_t>(v)].fetch_add(1, std::memory_order_relaxed);
        received.fetch_add(1, std::memory_order_relaxed);
    }
    // A receive on ch reported ok == false: it is closed and drained for good.
    void closed_seen(int ch, int zero_v, Rng& rng) {
        if (zero_v != 0) bad_zero.fetch_add(1);
        drained[static_cast<std::size_t>(ch)].store(true);
        if (rng.chance(30)) {  // probe: it stays closed and drained
            const Chan& c = chans[static_cast<std::size_t>(ch)];
            if (c.try_recv()) bad_probe.fetch_add(1);
            auto [v, ok] = c.recv_ok();
            if (ok || v.v != 0) bad_probe.fetch_add(1);
            int n = 0;
            for ([[maybe_unused]] const Counted& x : c) ++n;
            if (n) bad_probe.fetch_add(1);
        }
    }
    bool is_drained(int ch) const { return drained[static_cast<std::size_t>(ch)].load(); }
    RecvChannel<time::Time> maybe_timeout(Rng& rng) {
        if (!rng.chance(cfg.timeout_pct)) return nullptr;
        return time::after(std::chrono::microseconds(rng.below(300)));
    }
    Chan maybe_quiet(Rng& rng) { return rng.chance(cfg.extra_pct) ? quiet : Chan(nullptr); }
};

void idle_pause() { runtime::gosched(); }

// Sends value ids p, p + P, ... each exactly once, by a random mix of send
// (move and copy), try_send (move and copy), and select over send cases
// with nil, never-ready, timeout and default cases. Failed attempts retry;
// after a few in a row it falls back to a plain blocking send.
void producer(Round& r, int p, std::uint64_t seed) {
    Rng rng(seed);
    const auto& outs = r.cfg.prod_out[static_cast<std::size_t>(p)];
    const Chan nil = nullptr;
    for (int id = p; id < r.cfg.nvalues; id += r.cfg.nprod()) {
        Counted v(id);
        for (int fails = 0;; ++fails) {
            r.ops.fetch_add(1, std::memory_order_relaxed);
            const Chan& ch = r.chans[static_cast<std::size_t>(rng.pick(outs))];
            const int op = fails >= 6 ? rng.below(2) : rng.below(8);
            bool sent = false;
            switch (op) {
                case 0: ch.send(std::move(v)); sent = true; break;
                case 1: ch.send(std::as_const(v)); sent = true; break;
                case 2:
                    sent = ch.try_send(std::move(v));
                    if (!sent && v.v != id) r.bad_untouched.fetch_add(1);
                    break;
                case 3: sent = ch.try_send(std::as_const(v)); break;
                default: {
                    const Chan& c1 = rng.chance(50) ? r.chans[static_cast<std::size_t>(rng.pick(outs))] : nil;
                    const Chan& c2 = rng.chance(30) ? r.chans[static_cast<std::size_t>(rng.pick(outs))] : nil;
                    const RecvChannel<time::Time> to = r.maybe_timeout(rng);
                    const Chan q = r.maybe_quiet(rng);
                    int fired = -1, idx;
                    if (rng.chance(r.cfg.default_pct)) {
                        idx = select(case_send(ch, v, [&] { fired = 0; }), case_send(c1, v, [&] { fired = 1; }),
                                     case_recv(to, [&] { fired = 2; }), case_send(c2, v, [&] { fired = 3; }),
                                     case_recv(q, [&] { fired = 4; }), case_default([&] { fired = 5; }));
                    } else {
                        idx = select(case_send(ch, v, [&] { fired = 0; }), case_send(c1, v, [&] { fired = 1; }),
                                     case_recv(to, [&] { fired = 2; }), case_send(c2, v, [&] { fired = 3; }),
                                     case_recv(q, [&] { fired = 4; }));
                    }
                    if (idx != fired) r.bad_index.fetch_add(1);
                    if (idx == 4) r.bad_quiet.fetch_add(1);
                    if (idx == 2) r.timeouts.fetch_add(1, std::memory_order_relaxed);
                    if (idx == 5) r.defaults.fetch_add(1, std::memory_order_relaxed);
                    sent = idx == 0 || idx == 1 || idx == 3;
                }
            }
            if (sent) break;
            idle_pause();
        }
    }
}

// What one receive attempt got.
struct RecvOutcome {
    int ch = -1;     // channel index the case fired on, -1: none (timeout, default, empty)
    bool ok = false; // a value was received
    int v = 0;
    bool was_drained = false;
};

// One select over every channel of `live` (channel indexes) in random
// slots, the other slots nil or duplicates, plus a never-ready case and,
// when may_idle, maybe a time::after case and a default.
RecvOutcome select_recv(Round& r, Rng& rng, const std::vector<int>& live, bool may_idle) {
    int slot_ch[kSlots];
    for (int& s : slot_ch) s = -1;
    // Place the live channels in random distinct slots; maybe duplicate some.
    for (int ch : live) {
        int s;
        do s = rng.below(kSlots);
        while (slot_ch[s] != -1);
        slot_ch[s] = ch;
    }
    for (int& s : slot_ch)
        if (s == -1 && rng.chance(r.cfg.extra_pct)) s = rng.pick(live);
    bool was[kSlots];
    Chan c[kSlots];
    for (int s = 0; s < kSlots; ++s) {
        c[s] = slot_ch[s] < 0 ? Chan(nullptr) : r.chans[static_cast<std::size_t>(slot_ch[s])];
        was[s] = slot_ch[s] >= 0 && r.is_drained(slot_ch[s]);
    }
    const RecvChannel<time::Time> to = may_idle ? r.maybe_timeout(rng) : nullptr;
    const Chan q = r.maybe_quiet(rng);
    RecvOutcome out;
    int fired = -1;
    auto on = [&](int s) {
        return [&, s](Counted v, bool ok) {
            fired = s;
            out.ch = slot_ch[s];
            out.ok = ok;
            out.v = v.v;
            out.was_drained = was[s];
        };
    };
    int idx;
    if (may_idle && rng.chance(r.cfg.default_pct)) {
        idx = select(case_recv(c[0], on(0)), case_recv(c[1], on(1)), case_recv(c[2], on(2)),
                     case_recv(to, [&] { fired = 6; }), case_recv(c[3], on(3)), case_recv(c[4], on(4)),
                     case_recv(c[5], on(5)), case_recv(q, [&] { fired = 7; }), case_default([&] { fired = 8; }));
    } else {
        idx = select(case_recv(c[0], on(0)), case_recv(c[1], on(1)), case_recv(c[2], on(2)),
                     case_recv(to, [&] { fired = 6; }), case_recv(c[3], on(3)), case_recv(c[4], on(4)),
                     case_recv(c[5], on(5)), case_recv(q, [&] { fired = 7; }));
    }
    // argument index -> fired tag
    static const int kTag[] = {0, 1, 2, 6, 3, 4, 5, 7, 8};
    if (kTag[idx] != fired) r.bad_index.fetch_add(1);
    if (fired == 7) r.bad_quiet.fetch_add(1);
    if (fired == 6) r.timeouts.fetch_add(1, std::memory_order_relaxed);
    if (fired == 8) r.defaults.fetch_add(1, std::memory_order_relaxed);
    return out;
}

// Handles one outcome for a receiver: records a value, or retires a channel
// that reported closed-and-drained. Returns whether something happened.
bool take(Round& r, Rng& rng, std::vector<int>& live, const RecvOutcome& o, std::deque<Counted>* keep) {
    if (o.ch < 0) return false;
    if (o.ok) {
        if (keep) {
            if (o.was_drained) r.after_drain.fetch_add(1);
            keep->emplace_back(o.v);
        } else {
            r.record(o.v, o.ch, o.was_drained);
        }
        return true;
    }
    if (std::find(live.begin(), live.end(), o.ch) != live.end()) {
        live.erase(std::find(live.begin(), live.end(), o.ch));
        r.closed_seen(o.ch, o.v, rng);
    }
    return true;
}

// Receives from its inputs until all are closed and drained.
void sink(Round& r, int s, std::uint64_t seed) {
    Rng rng(seed);
    std::vector<int> live = r.cfg.sink_in[static_cast<std::size_t>(s)];
    int idle = 0;
    while (!live.empty()) {
        r.ops.fetch_add(1, std::memory_order_relaxed);
        const int op = idle >= 8 ? 0 : rng.below(8);
        bool progress = false;
        const int ch = rng.pick(live);
        const Chan& c = r.chans[static_cast<std::size_t>(ch)];
        if (op == 1) {  // non-blocking
            const bool was = r.is_drained(ch);
            if (auto v = c.try_recv()) {
                r.record(v->v, ch, was);
                progress = true;
            }
        } else if (op == 2 && live.size() == 1) {  // blocking, single input
            const bool was = r.is_drained(ch);
            auto [v, ok] = c.recv_ok();
            progress = take(r, rng, live, RecvOutcome{ch, ok, v.v, was}, nullptr);
        } else if (op == 3 && live.size() == 1) {  // range-for, maybe left early
            const bool was = r.is_drained(ch);
            const int most = rng.below(50);
            int n = 0;
            bool left = false;
            for (Counted v : c) {
                r.record(v.v, ch, was);
                if (++n >= most) {
                    left = true;
                    break;
                }
            }
            if (!left) take(r, rng, live, RecvOutcome{ch, false, 0, was}, nullptr);
            progress = true;
        } else {
            progress = take(r, rng, live, select_recv(r, rng, live, op != 0), nullptr);
        }
        if (progress) {
            idle = 0;
        } else {
            ++idle;
            idle_pause();
        }
    }
}

// Moves values from its layer-0 inputs to its layer-1 outputs, holding them
// in a queue meanwhile; every blocking wait covers all live inputs and the
// pending send.
void forwarder(Round& r, int f, std::uint64_t seed) {
    Rng rng(seed);
    std::vector<int> live = r.cfg.fwd_in[static_cast<std::size_t>(f)];
    const auto& outs = r.cfg.fwd_out[static_cast<std::size_t>(f)];
    std::deque<Counted> pending;
    const Chan nil = nullptr;
    int idle = 0;
    while (!live.empty() || !pending.empty()) {
        r.ops.fetch_add(1, std::memory_order_relaxed);
        const int op = idle >= 8 ? 0 : rng.below(8);
        const Chan& out = r.chans[static_cast<std::size_t>(rng.pick(outs))];
        bool progress = false;
        if (op == 1 && !pending.empty()) {  // plain send: sinks always drain layer 1
            out.send(std::move(pending.front()));
            pending.pop_front();
            progress = true;
        } else if (op == 2 && !pending.empty()) {
            const int id = pending.front().v;
            if (out.try_send(std::move(pending.front()))) {
                pending.pop_front();
                progress = true;
            } else if (pending.front().v != id) {
                r.bad_untouched.fetch_add(1);
            }
        } else if (op == 3 && !live.empty()) {
            const int ch = rng.pick(live);
            const bool was = r.is_drained(ch);
            if (auto v = r.chans[static_cast<std::size_t>(ch)].try_recv()) {
                if (was) r.after_drain.fetch_add(1);
                pending.push_back(std::move(*v));
                progress = true;
            }
        } else if (op == 4 && live.size() == 1 && pending.empty()) {
            const int ch = live[0];
            const bool was = r.is_drained(ch);
            auto [v, ok] = r.chans[static_cast<std::size_t>(ch)].recv_ok();
            progress = take(r, rng, live, RecvOutcome{ch, ok, v.v, was}, &pending);
        } else {
            // select { recv in0 | recv in1 | recv in2 | send out <- front | timeout | never | default }
            const bool may_idle = op != 0;
            int slot_ch[kMaxLayer] = {-1, -1, -1};
            for (int ch : live) {
                int s;
                do s = rng.below(kMaxLayer);
                while (slot_ch[s] != -1);
                slot_ch[s] = ch;
            }
            Chan c[kMaxLayer];
            bool was[kMaxLayer];
            for (int s = 0; s < kMaxLayer; ++s) {
                c[s] = slot_ch[s] < 0 ? nil : r.chans[static_cast<std::size_t>(slot_ch[s])];
                was[s] = slot_ch[s] >= 0 && r.is_drained(slot_ch[s]);
            }
            const bool have = !pending.empty();
            const Chan& sc = have ? out : nil;
            const int payload = have ? pending.front().v : -2;  // -2 must never arrive
            const RecvChannel<time::Time> to = may_idle ? r.maybe_timeout(rng) : nullptr;
            const Chan q = r.maybe_quiet(rng);
            RecvOutcome o;
            int fired = -1;
            auto on = [&](int s) {
                return [&, s](Counted v, bool ok) {
                    fired = s;
                    o = RecvOutcome{slot_ch[s], ok, v.v, was[s]};
                };
            };
            int idx;
            if (may_idle && rng.chance(r.cfg.default_pct)) {
                idx = select(case_recv(c[0], on(0)), case_send(sc, Counted(payload), [&] { fired = 3; }),
                             case_recv(c[1], on(1)), case_recv(to, [&] { fired = 4; }), case_recv(c[2], on(2)),
                             case_recv(q, [&] { fired = 5; }), case_default([&] { fired = 6; }));
            } else {
                idx = select(case_recv(c[0], on(0)), case_send(sc, Counted(payload), [&] { fired = 3; }),
                             case_recv(c[1], on(1)), case_recv(to, [&] { fired = 4; }), case_recv(c[2], on(2)),
                             case_recv(q, [&] { fired = 5; }));
            }
            static const int kTag[] = {0, 3, 1, 4, 2, 5, 6};
            if (kTag[idx] != fired) r.bad_index.fetch_add(1);
            if (fired == 5) r.bad_quiet.fetch_add(1);
            if (fired == 4) r.timeouts.fetch_add(1, std::memory_order_relaxed);
            if (fired == 6) r.defaults.fetch_add(1, std::memory_order_relaxed);
            if (fired == 3) {
                pending.pop_front();  // its copy went out
                progress = true;
            } else {
                progress = take(r, rng, live, o, &pending);
            }
        }
        if (progress) {
            idle = 0;
        } else {
            ++idle;
            idle_pause();
        }
    }
}

// The designated closer: layer 0 once every producer is done, layer 1 once
// every forwarder is done, each layer in a random order.
void closer(Round& r, std::uint64_t seed) {
    Rng rng(seed);
    auto close_layer = [&](int from, int to) {
        std::vector<int> order;
        for (int i = from; i < to; ++i) order.push_back(i);
        for (int i = static_cast<int>(order.size()) - 1; i > 0; --i)
            std::swap(order[static_cast<std::size_t>(i)], order[static_cast<std::size_t>(rng.below(i + 1))]);
        for (int i : order) r.chans[static_cast<std::size_t>(i)].close();
    };
    r.producers.wait();
    close_layer(0, r.cfg.n0);
    r.forwarders.wait();
    close_layer(r.cfg.n0, r.cfg.n0 + r.cfg.n1);
}

struct RoundResult {
    long ops = 0, values = 0, timeouts = 0, defaults = 0;
    bool ok = false;
};

// Starts `g` goroutines and `t` threads running body(i, seed_i), i = 0..g+t-1.
template <class State, class Body>
void start(std::vector<std::thread>& threads, State& r, sync::WaitGroup* role, std::atomic<int>& done_count, int g,
           int t, Rng& rng, Body body) {
    for (int i = 0; i < g + t; ++i) {
        const std::uint64_t s = rng.next();
        if (role) role->add(1);
        r.all.add(1);
        auto run = [&r, role, &done_count, body, i, s] {
            r.unexpected.guard([&] { body(i, s); });
            done_count.fetch_add(1);
            if (role) role->done();
            r.all.done();
        };
        if (i < g) go(run);
        else threads.emplace_back(run);
    }
}

RoundResult random_round(std::uint64_t seed, const std::string& where) {
    const int base = runtime::num_goroutine();
    const long live_before = Counted::live.load();
    auto r = std::make_shared<Round>(make_config(seed));
    const Config cfg = r->cfg;  // outlives r
    Rng rng(seed ^ 0xA5A5A5A5A5A5A5A5ULL);
    std::vector<std::thread> threads;
    const auto t0 = Clock::now();

    // Sinks first, then forwarders, then producers, then the closer.
    start(threads, *r, nullptr, r->sink_done, cfg.gsink, cfg.tsink, rng,
          [r](int i, std::uint64_t s) { sink(*r, i, s); });
    start(threads, *r, &r->forwarders, r->fwd_done, cfg.gfwd, cfg.tfwd, rng,
          [r](int i, std::uint64_t s) { forwarder(*r, i, s); });
    start(threads, *r, &r->producers, r->prod_done, cfg.gprod, cfg.tprod, rng,
          [r](int i, std::uint64_t s) { producer(*r, i, s); });
    start(threads, *r, nullptr, r->closer_done, cfg.closer_thread ? 0 : 1, cfg.closer_thread ? 1 : 0, rng,
          [r](int, std::uint64_t s) { closer(*r, s); });

    Channel<Unit> done;
    go([r, done] {
        r->all.wait();
        done.close();
    });
    await_round(done, [&] {
        std::ostringstream os;
        os << where << " GOCXX_SEED=" << seed << " " << cfg.describe() << "; finished producers "
           << r->prod_done.load() << "/" << cfg.nprod() << ", forwarders " << r->fwd_done.load() << "/"
           << cfg.nfwd() << ", sinks " << r->sink_done.load() << "/" << cfg.nsink() << ", closer "
           << r->closer_done.load() << "; received " << r->received.load() << "/" << cfg.nvalues
           << ", unexpected exceptions " << r->unexpected.n.load() << " (" << r->unexpected.first << ")";
        return os.str();
    });
    for (auto& t : threads) t.join();

    int wrong = 0, first_wrong = -1;
    for (int i = 0; i < cfg.nvalues; ++i) {
        if (r->seen[static_cast<std::size_t>(i)].load() != 1) {
            if (first_wrong < 0) first_wrong = i;
            ++wrong;
        }
    }
    long left = 0;
    for (const Chan& c : r->chans) left += static_cast<long>(c.len());
    RoundResult res;
    res.ops = r->ops.load();
    res.values = cfg.nvalues;
    res.timeouts = r->timeouts.load();
    res.defaults = r->defaults.load();
    const long received = r->received.load();
    const int unexpected = r->unexpected.n.load();
    const std::string unexpected_what = r->unexpected.first;
    const long out_of_range = r->out_of_range.load(), after_drain = r->after_drain.load(),
               bad_zero = r->bad_zero.load(), bad_probe = r->bad_probe.load(), bad_index = r->bad_index.load(),
               bad_quiet = r->bad_quiet.load(), bad_untouched = r->bad_untouched.load();
    const std::string desc = cfg.describe();
    r.reset();
    const bool drop = goroutines_drop_to(base);
    // Payload objects die with the last channel handle and the actors' frames.
    const auto deadline = Clock::now() + 10s;
    while (Counted::live.load() != live_before && Clock::now() < deadline) runtime::gosched();
    const long leaked = Counted::live.load() - live_before;

    BOOST_TEST_CONTEXT(where << " GOCXX_SEED=" << seed << " (" << desc << ")") {
        BOOST_TEST(unexpected == 0, "unexpected exception: " << unexpected_what);
        BOOST_TEST(wrong == 0, wrong << " values not received exactly once, first id " << first_wrong);
        BOOST_TEST(received == cfg.nvalues);
        BOOST_TEST(out_of_range == 0);
        BOOST_TEST(after_drain == 0, "values received after the channel was seen drained");
        BOOST_TEST(bad_zero == 0, "ok == false with a non-zero value");
        BOOST_TEST(bad_probe == 0, "a closed, drained channel yielded a value");
        BOOST_TEST(bad_index == 0, "select's index is not the case whose callback ran");
        BOOST_TEST(bad_quiet == 0, "a case on a channel nobody uses fired");
        BOOST_TEST(bad_untouched == 0, "a failed try_send(T&&) moved from its argument");
        BOOST_TEST(left == 0);
        BOOST_TEST(drop, "goroutines did not return to " << base);
        BOOST_TEST(leaked == 0, leaked << " payload objects leaked");
    }
    res.ok = unexpected == 0 && wrong == 0 && received == cfg.nvalues && out_of_range == 0 && after_drain == 0 &&
             bad_zero == 0 && bad_probe == 0 && bad_index == 0 && bad_quiet == 0 && bad_untouched == 0 &&
             left == 0 && drop && leaked == 0;
    if (!res.ok)
        std::cout << "random_test FAILED: " << where << " GOCXX_SEED=" << seed << " (" << desc << ") after "
                  << std::chrono::duration<double>(Clock::now() - t0).count() << " s" << std::endl;
    return res;
}

// ---------------------------------------------------------------------------
// Close races (the dedicated sub-case): senders race closers on one channel.
// Every attempted send either completes or throws Panic("send on closed
// channel"); every completed send is received exactly once, no panicked one
// ever; exactly one close succeeds and every other throws Panic("close of
// closed channel"); after a panic the sender's value is still its own.

struct Race {
    std::uint64_t seed;
    long cap;
    int gsend, tsend, grecv, trecv, gclose, tclose, nvalues, timeout_pct, default_pct;
    Chan ch;
    Channel<Unit> senders_done;
    Chan quiet;
    sync::WaitGroup senders, all;
    std::vector<std::atomic<int>> outcome;  // 0 not tried, 1 sent, 2 panicked
    std::vector<std::atomic<int>> seen;
    std::atomic<bool> drained{false};
    Unexpected unexpected;
    std::atomic<long> ops{0}, panics{0}, closes{0}, close_panics{0}, timeouts{0}, defaults{0};
    std::atomic<long> bad_msg{0}, bad_moved{0}, bad_after_panic{0}, after_drain{0}, out_of_range{0}, bad_zero{0},
        bad_index{0};

    Race(std::uint64_t s, Rng& rng)
        : seed(s),
          cap(std::vector<long>{0, 0, 1, 2, 4}[static_cast<std::size_t>(rng.below(5))]),
          gsend(rng.between(0, 5)),
          tsend(rng.between(gsend == 0 ? 1 : 0, 2)),
          grecv(rng.between(0, 3)),
          trecv(rng.between(grecv == 0 ? 1 : 0, 1)),
          gclose(rng.between(0, 3)),
          tclose(rng.between(gclose == 0 ? 1 : 0, 1)),
          nvalues(rng.between(1, static_cast<int>(scaled(3000) * kStressScale))),
          timeout_pct(std::vector<int>{0, 10, 40}[static_cast<std::size_t>(rng.below(3))]),
          default_pct(std::vector<int>{0, 10, 40}[static_cast<std::size_t>(rng.below(3))]),
          ch(cap),
          outcome(static_cast<std::size_t>(nvalues)),
          seen(static_cast<std::size_t>(nvalues)) {}

    std::string describe() const {
        std::ostringstream os;
        os << "close race seed " << seed << ": cap " << cap << ", senders " << gsend << "g+" << tsend
           << "t, receivers " << grecv << "g+" << trecv << "t, closers " << gclose << "g+" << tclose << "t, values "
           << nvalues;
        return os.str();
    }
    void record(int v, bool was) {
        if (was) after_drain.fetch_add(1);
        if (v < 0 || v >= nvalues) {
            out_of_range.fetch_add(1);
            return;
        }
        seen[static_cast<std::size_t>(v)].fetch_add(1);
    }
};

// One send attempt of id; returns 1 sent, 0 not now, 2 panicked.
int race_send(Race& r, Rng& rng, Counted& v, int id, int op) {
    const Chan nil = nullptr;
    auto moved_check = [&] {
        if (v.v != id) r.bad_moved.fetch_add(1);
    };
    try {
        switch (op) {
            case 0: r.ch.send(std::move(v)); return 1;
            case 1: r.ch.send(std::as_const(v)); return 1;
            case 2: {
                const bool ok = r.ch.try_send(std::move(v));
                if (!ok) moved_check();
                return ok ? 1 : 0;
            }
            case 3: return r.ch.try_send(std::as_const(v)) ? 1 : 0;
            default: {
                const RecvChannel<time::Time> to =
                    rng.chance(r.timeout_pct) ? time::after(std::chrono::microseconds(rng.below(200)))
                                              : RecvChannel<time::Time>(nullptr);
                const Chan q = rng.chance(30) ? r.quiet : nil;
                int fired = -1, idx;
                if (rng.chance(r.default_pct)) {
                    idx = select(case_recv(to, [&] { fired = 0; }), case_send(r.ch, v, [&] { fired = 1; }),
                                 case_send(nil, v, [&] { fired = 2; }), case_recv(q, [&] { fired = 3; }),
                                 case_default([&] { fired = 4; }));
                } else {
                    idx = select(case_recv(to, [&] { fired = 0; }), case_send(r.ch, v, [&] { fired = 1; }),
                                 case_send(nil, v, [&] { fired = 2; }), case_recv(q, [&] { fired = 3; }));
                }
                if (idx != fired || idx == 2 || idx == 3) r.bad_index.fetch_add(1);
                if (idx == 0) r.timeouts.fetch_add(1, std::memory_order_relaxed);
                if (idx == 4) r.defaults.fetch_add(1, std::memory_order_relaxed);
                return idx == 1 ? 1 : 0;
            }
        }
    } catch (const Panic& p) {
        if (std::string(p.what()) != "send on closed channel") r.bad_msg.fetch_add(1);
        if (op == 0 || op == 2) moved_check();
        return 2;
    }
}

void race_sender(Race& r, int p, std::uint64_t seed) {
    Rng rng(seed);
    const int nsend = r.gsend + r.tsend;
    for (int id = p; id < r.nvalues; id += nsend) {
        Counted v(id);
        for (int fails = 0;; ++fails) {
            r.ops.fetch_add(1, std::memory_order_relaxed);
            const int res = race_send(r, rng, v, id, fails >= 6 ? rng.below(2) : rng.below(7));
            if (res == 1) {
                r.outcome[static_cast<std::size_t>(id)].store(1);
                break;
            }
            if (res == 2) {
                r.outcome[static_cast<std::size_t>(id)].store(2);
                r.panics.fetch_add(1);
                // Closed stays closed: the next attempt panics too.
                try {
                    (void)r.ch.try_send(Counted(-3));
                    r.bad_after_panic.fetch_add(1);
                } catch (const Panic&) {
                }
                return;
            }
            idle_pause();
        }
    }
}

void race_receiver(Race& r, std::uint64_t seed) {
    Rng rng(seed);
    const Chan nil = nullptr;
    for (;;) {
        r.ops.fetch_add(1, std::memory_order_relaxed);
        const bool was = r.drained.load();
        int v = 0;
        bool ok = false;
        switch (rng.below(3)) {
            case 0: {
                auto [x, o] = r.ch.recv_ok();
                v = x.v;
                ok = o;
                break;
            }
            case 1: {
                const RecvChannel<time::Time> to =
                    rng.chance(r.timeout_pct) ? time::after(std::chrono::microseconds(rng.below(200)))
                                              : RecvChannel<time::Time>(nullptr);
                int fired = -1;
                const int idx = select(case_recv(nil, [&] { fired = 0; }), case_recv(to, [&] { fired = 1; }),
                                       case_recv(r.ch,
                                                 [&](Counted x, bool o) {
                                                     fired = 2;
                                                     v = x.v;
                                                     ok = o;
                                                 }));
                if (idx != fired || idx == 0) r.bad_index.fetch_add(1);
                if (idx != 2) {
                    r.timeouts.fetch_add(1, std::memory_order_relaxed);
                    continue;
                }
                break;
            }
            default: {
                const int most = rng.below(20);
                int n = 0;
                bool left = false;
                for (Counted x : r.ch) {
                    r.record(x.v, was);
                    if (++n >= most) {
                        left = true;
                        break;
                    }
                }
                if (left) continue;
                ok = false;
                v = 0;
            }
        }
        if (ok) {
            r.record(v, was);
            continue;
        }
        if (v != 0) r.bad_zero.fetch_add(1);
        r.drained.store(true);
        return;
    }
}

// Receives a random number of values (or until the senders are all done),
// then closes.
void race_closer(Race& r, std::uint64_t seed) {
    Rng rng(seed);
    const int first = rng.below(std::max(1, r.nvalues / 2));
    bool senders_finished = false;
    for (int i = 0; i < first && !senders_finished; ++i) {
        const bool was = r.drained.load();
        select(case_recv(r.ch,
                         [&](Counted x, bool ok) {
                             if (ok) r.record(x.v, was);
                             else senders_finished = true;  // another closer was first
                         }),
               case_recv(r.senders_done, [&] { senders_finished = true; }));
    }
    try {
        r.ch.close();
        r.closes.fetch_add(1);
    } catch (const Panic& p) {
        if (std::string(p.what()) != "close of closed channel") r.bad_msg.fetch_add(1);
        r.close_panics.fetch_add(1);
    }
}

struct RaceResult {
    long ops = 0, values = 0, panics = 0, timeouts = 0, defaults = 0;
    bool ok = false;
};

RaceResult close_race_round(std::uint64_t seed, const std::string& where) {
    const int base = runtime::num_goroutine();
    const long live_before = Counted::live.load();
    Rng rng(seed ^ 0x5A5A5A5A5A5A5A5AULL);
    auto r = std::make_shared<Race>(seed, rng);
    std::vector<std::thread> threads;
    std::atomic<int> sdone{0}, rdone{0}, cdone{0};
    start(threads, *r, &r->senders, sdone, r->gsend, r->tsend, rng,
          [r](int i, std::uint64_t s) { race_sender(*r, i, s); });
    r->all.add(1);
    go([r] {
        r->senders.wait();
        r->senders_done.close();
        r->all.done();
    });
    start(threads, *r, nullptr, rdone, r->grecv, r->trecv, rng,
          [r](int, std::uint64_t s) { race_receiver(*r, s); });
    start(threads, *r, nullptr, cdone, r->gclose, r->tclose, rng,
          [r](int, std::uint64_t s) { race_closer(*r, s); });

    Channel<Unit> done;
    go([r, done] {
        r->all.wait();
        done.close();
    });
    await_round(done, [&] {
        std::ostringstream os;
        os << where << " GOCXX_SEED=" << seed << " " << r->describe() << "; finished senders " << sdone.load()
           << ", receivers " << rdone.load() << ", closers " << cdone.load() << ", closes " << r->closes.load()
           << ", unexpected exceptions " << r->unexpected.n.load() << " (" << r->unexpected.first << ")";
        return os.str();
    });
    for (auto& t : threads) t.join();

    int wrong = 0, first_wrong = -1;
    long sent = 0;
    for (int i = 0; i < r->nvalues; ++i) {
        const int out = r->outcome[static_cast<std::size_t>(i)].load();
        const int s = r->seen[static_cast<std::size_t>(i)].load();
        sent += out == 1;
        if (s != (out == 1 ? 1 : 0)) {
            if (first_wrong < 0) first_wrong = i;
            ++wrong;
        }
    }
    const int nclosers = r->gclose + r->tclose;
    RaceResult res;
    res.ops = r->ops.load();
    res.values = sent;
    res.panics = r->panics.load();
    res.timeouts = r->timeouts.load();
    res.defaults = r->defaults.load();
    const long closes = r->closes.load(), close_panics = r->close_panics.load(), bad_msg = r->bad_msg.load(),
               bad_moved = r->bad_moved.load(), bad_after_panic = r->bad_after_panic.load(),
               after_drain = r->after_drain.load(), out_of_range = r->out_of_range.load(),
               bad_zero = r->bad_zero.load(), bad_index = r->bad_index.load();
    const int unexpected = r->unexpected.n.load();
    const std::string unexpected_what = r->unexpected.first, desc = r->describe();
    const long left = static_cast<long>(r->ch.len());
    r.reset();
    const bool drop = goroutines_drop_to(base);
    const auto deadline = Clock::now() + 10s;
    while (Counted::live.load() != live_before && Clock::now() < deadline) runtime::gosched();
    const long leaked = Counted::live.load() - live_before;

    BOOST_TEST_CONTEXT(where << " GOCXX_SEED=" << seed << " (" << desc << ")") {
        BOOST_TEST(unexpected == 0, "unexpected exception: " << unexpected_what);
        BOOST_TEST(wrong == 0, wrong << " values received other than once-if-sent, first id " << first_wrong);
        BOOST_TEST(closes == 1);
        BOOST_TEST(close_panics == nclosers - 1);
        BOOST_TEST(bad_msg == 0, "a Panic with the wrong message");
        BOOST_TEST(bad_moved == 0, "a send that failed or panicked moved from its argument");
        BOOST_TEST(bad_after_panic == 0, "a try_send succeeded after a send panicked");
        BOOST_TEST(after_drain == 0);
        BOOST_TEST(out_of_range == 0);
        BOOST_TEST(bad_zero == 0);
        BOOST_TEST(bad_index == 0);
        BOOST_TEST(left == 0);
        BOOST_TEST(drop, "goroutines did not return to " << base);
        BOOST_TEST(leaked == 0, leaked << " payload objects leaked");
    }
    res.ok = unexpected == 0 && wrong == 0 && closes == 1 && close_panics == nclosers - 1 && bad_msg == 0 &&
             bad_moved == 0 && bad_after_panic == 0 && after_drain == 0 && out_of_range == 0 && bad_zero == 0 &&
             bad_index == 0 && left == 0 && drop && leaked == 0;
    if (!res.ok)
        std::cout << "random_test FAILED: " << where << " GOCXX_SEED=" << seed << " (" << desc << ")" << std::endl;
    return res;
}

std::string where_str(int workers, Caller caller) {
    std::ostringstream os;
    os << "[workers " << workers << ", " << caller << "]";
    return os.str();
}

// Rounds stay many under the sanitizers (their values per round shrink instead).
int ci_rounds(long n) { return static_cast<int>(gocxx::test::kScale > 1 ? n / 2 : n); }

}  // namespace

// CI: a fixed number of rounds per worker count and caller, seeds base .. base+R-1.
BOOST_DATA_TEST_CASE(random_rounds,
                     boost::unit_test::data::make(gocxx::test::kWorkerCounts) *
                         boost::unit_test::data::make(gocxx::test::kCallers),
                     workers, caller) {
    const int rounds = ci_rounds(40);
    long ops = 0, values = 0, timeouts = 0, defaults = 0;
    const auto t0 = Clock::now();
    run_as(workers, caller, [&] {
        for (int i = 0; i < rounds; ++i) {
            const RoundResult res =
                random_round(base_seed() + static_cast<std::uint64_t>(i), where_str(workers, caller));
            ops += res.ops;
            values += res.values;
            timeouts += res.timeouts;
            defaults += res.defaults;
            if (!res.ok) break;
        }
    });
    BOOST_TEST_MESSAGE("random_rounds " << where_str(workers, caller) << ": seeds " << base_seed() << ".."
                                        << base_seed() + static_cast<std::uint64_t>(rounds) - 1 << ", " << ops
                                        << " ops, " << values << " values, " << timeouts << " timeouts, "
                                        << defaults << " defaults, "
                                        << std::chrono::duration<double>(Clock::now() - t0).count() << " s");
}

BOOST_DATA_TEST_CASE(close_races,
                     boost::unit_test::data::make(gocxx::test::kWorkerCounts) *
                         boost::unit_test::data::make(gocxx::test::kCallers),
                     workers, caller) {
    const int rounds = ci_rounds(60);
    long ops = 0, values = 0, panics = 0;
    const auto t0 = Clock::now();
    run_as(workers, caller, [&] {
        for (int i = 0; i < rounds; ++i) {
            const RaceResult res =
                close_race_round(base_seed() + static_cast<std::uint64_t>(i), where_str(workers, caller));
            ops += res.ops;
            values += res.values;
            panics += res.panics;
            if (!res.ok) break;
        }
    });
    BOOST_TEST_MESSAGE("close_races " << where_str(workers, caller) << ": seeds " << base_seed() << ".."
                                      << base_seed() + static_cast<std::uint64_t>(rounds) - 1 << ", " << ops
                                      << " ops, " << values << " values delivered, " << panics
                                      << " send panics, "
                                      << std::chrono::duration<double>(Clock::now() - t0).count() << " s");
}

// Long mode (GOCXX_STRESS_SECONDS=N): rounds of both kinds with successive
// seeds, rotating the worker count and the caller, until N seconds are up.
// Without it, a handful of rounds.
BOOST_AUTO_TEST_CASE(soak) {
    const long secs = stress_seconds();
    const auto t0 = Clock::now();
    const auto until = t0 + std::chrono::seconds(secs);
    const long max_rounds = secs > 0 ? -1 : 6;
    Totals tot;
    std::uint64_t seed = base_seed();
    auto last_report = t0;
    for (long i = 0; max_rounds < 0 ? Clock::now() < until : i < max_rounds; ++i, ++seed) {
        const int workers = gocxx::test::kWorkerCounts[i % 3];
        const Caller caller = gocxx::test::kCallers[(i / 3) % 2];
        const std::string where = "soak round " + std::to_string(i) + " " + where_str(workers, caller);
        bool ok = true;
        run_as(workers, caller, [&] {
            const RoundResult a = random_round(seed, where);
            const RaceResult b = close_race_round(seed, where);
            tot.ops += a.ops + b.ops;
            tot.values += a.values + b.values;
            tot.timeouts += a.timeouts + b.timeouts;
            tot.defaults += a.defaults + b.defaults;
            tot.panics += b.panics;
            ok = a.ok && b.ok;
        });
        ++tot.rounds;
        if (!ok) tot.failed.push_back(seed);
        if (secs > 0 && Clock::now() - last_report > 30s) {
            last_report = Clock::now();
            std::cout << "soak: " << tot.rounds << " rounds, seeds " << base_seed() << ".." << seed << ", "
                      << tot.ops << " ops, " << tot.values << " values, "
                      << std::chrono::duration<double>(last_report - t0).count() << " s" << std::endl;
        }
    }
    std::ostringstream os;
    os << "soak: " << tot.rounds << " rounds (seeds " << base_seed() << ".." << seed - 1
       << ", each a random round and a close race), "
       << tot.ops << " ops, " << tot.values << " values delivered, " << tot.timeouts << " timeouts, "
       << tot.defaults << " defaults, " << tot.panics << " expected send panics, "
       << std::chrono::duration<double>(Clock::now() - t0).count() << " s; failed seeds:";
    for (auto s : tot.failed) os << " " << s;
    if (tot.failed.empty()) os << " none";
    std::cout << os.str() << std::endl;
    BOOST_TEST(tot.failed.empty());
}
