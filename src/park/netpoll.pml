/*
 * netpoll.pml -- SPIN model of the netpoller's waiter-slot protocol.
 * Checked by test/model/check.sh (meson test --suite model).
 *
 * WHAT IT MODELS (one PollDesc, its read slot rg)
 *   src/park/netpoll_wait.cpp  poll_prepare (check, then store kNil),
 *                              poll_wait (check; loop block() until it
 *                              returns true or check() finds an error),
 *                              block(): 1. CAS kReady->kNil (consume: return
 *                              true) or kNil->kWait; 2. PollDesc::check;
 *                              3. park with the commit publish_or_wake (CAS
 *                              kWait->Token, on failure unpark self);
 *                              4. exchange(kNil), return old == kReady.
 *   src/sched/netpoll.hpp/.cpp PollDesc::check (closing, then rd),
 *                              poll_unblock (load; kReady -> nothing; kNil
 *                              and !io -> nothing; else CAS to kReady (io) or
 *                              kNil; return the displaced Token, never kWait),
 *                              Netpoll::poll (an event -> poll_unblock(io) ->
 *                              wake the Token), evict (closing = true, then
 *                              poll_unblock(io = false)), set_deadline /
 *                              on_deadline (rd = kExpired, then
 *                              poll_unblock(io = false)); the waker that gets
 *                              a Token wakes it (wake_token).
 *   src/park/park.cpp          park_token (a thread re-arms its parker: state
 *                              = 0), park (a goroutine: Scheduler::park, the
 *                              worker saves g->ctx and then runs the commit;
 *                              a thread: runs the commit, then waits for
 *                              state != 0), unpark (goready / state = 1).
 *   src/net/fd.cpp             NetFD::read's loop: poll_prepare; read; on
 *                              EAGAIN poll_wait; an error ends the read.
 *
 * PARTIES
 *   Waiter    a goroutine or a thread (init chooses) reading the socket over
 *             and over (NetFD::read until an error). A read takes one byte
 *             or all that is buffered (non-deterministic), or gets EAGAIN.
 *   Net       the peer: writes up to NEV bytes, one at a time; each arrival
 *             puts the socket on epoll's ready list (ev = 1). It may stop
 *             at any point.
 *   Poller    whoever calls Netpoll::poll: harvests the edge-triggered event
 *             (ev 1 -> 0: arrivals before the harvest coalesce into one
 *             event, an arrival after it makes a new one), then
 *             poll_unblock(io = true) and wakes the Token it got.
 *   Closer    evict, or nothing (non-deterministic).
 *   Deadline  set_deadline(past) / on_deadline, or nothing; an expired
 *             deadline may then be cleared (set_deadline(0): rd = 0, no
 *             wake-up), so a woken waiter finds no error and blocks again.
 *   Committer the worker the goroutine parked on: runs publish_or_wake once
 *             the context is saved (concurrently with the rest once the
 *             Token is published).
 *   Resumer   "some worker" pops the readied goroutine and jumps to g->ctx.
 *
 * ABSTRACTIONS, AND WHY THEY ARE SOUND
 *   - Sequential consistency: every slot access, closing and rd are seq_cst
 *     (the Dekker pair "closer: store closing, load slot" / "waiter: CAS
 *     kWait, load closing" needs exactly that, and gets it); the park
 *     hand-offs are release/acquire or go through the run queue, so DRF-SC.
 *   - park/unpark: the mechanism (context save before the commit, the futex
 *     word, stale futex_wakes, pooled parkers) is src/park/park.pml's; here
 *     a goroutine is gstat/ctx_saved as there and a thread waits for
 *     pstate != 0 (a spurious futex return only re-checks the word).
 *   - One slot: rg and wg are separate words; evict's poll_unblock of wg
 *     touches nothing the reader reads. One waiter per slot (the net layer's
 *     rmu), as the protocol requires.
 *   - compare_exchange_weak's spurious failure only repeats poll_unblock's
 *     loop (a stutter) and is left out; PollDesc::lock (it orders evict and
 *     set_deadline's timer arming), the timers themselves, waiters_/
 *     poller_needed (who polls, not what the slot does) and the PollDesc
 *     pool (a reused PollDesc is a stale readiness: the spurious wake-up the
 *     model already has) are left out. Livelock (non-progress) is not
 *     checked: this is a safety run.
 *   - The Token is one value (TOK) since one party waits. Which park it
 *     belongs to is the ghost pgen: a waker records it when it displaces the
 *     Token, and its unpark asserts it is still that park.
 *
 * PROPERTIES CHECKED (safety run, invalid end states on)
 *   - No lost wake-up: only the waiter's park waits (and the idle loops of
 *     Poller, Committer, Resumer) are end states; at the final state
 *     (timeout) Check asserts the waiter either returned an error or is
 *     parked legitimately: its Token is in the slot, unclaimed, no byte is
 *     left unread, and neither closing nor the deadline is set.
 *   - Exactly-once wake: every unpark (a waker's or the commit's own) asserts
 *     its park is the current one, and not yet woken.
 *   - block() returns true only if some readiness was signalled (ghost nio);
 *     poll_wait returns Closing only if closing was set, Timeout only if
 *     rd was kExpired; a read returns data only if bytes arrived (data > 0).
 *   - corrupted(): block()'s step 1 finds only kNil/kReady, step 4 never
 *     finds a Token; the commit never touches its WaitCommit after block()
 *     returned (cframe), and runs only after the context was saved.
 *
 * MUTANTS (each must make SPIN report errors; see test/model/meson.build)
 *   BUG_NO_RECHECK          block() parks without check() after kWait
 *   BUG_COMMIT_STORE        the commit stores the Token (no CAS), over a
 *                           kReady or kNil that came in between
 *   BUG_UNBLOCK_BEFORE_FLAG evict unblocks before it sets closing (and the
 *                           deadline likewise before rd = kExpired)
 *   BUG_NO_SELF_WAKE        the commit's failed CAS does not unpark self
 *   BUG_UNBLOCK_STORE       poll_unblock writes its new value with a plain
 *                           store after the load (no CAS): two wakers both
 *                           take the Token, or a Token published between
 *                           the load and the store is overwritten
 *   BUG_WAIT_AS_READY       block()'s step 4 returns old != kNil (a kWait
 *                           left by a failed check reads as readiness)
 *   BUG_PREPARE_AFTER_READ  poll_prepare's kNil store moved after the
 *                           first read's EAGAIN (it erases a readiness that
 *                           came after the EAGAIN)
 *   BUG_UNBLOCK_WAIT_TOKEN  poll_unblock returns kWait as if it were a
 *                           Token (`old == kNil ? 0 : old`): a wake of a
 *                           party not yet parked, and its commit wakes it
 *                           again
 */

#ifndef NEV
#define NEV 2          /* bytes the peer may send */
#endif

/* slot values (PollDesc::kNil, kReady, kWait, the waiter's Token) */
#define NIL   0
#define READY 1
#define WAIT  2
#define TOK   3

/* PollErr */
#define E_NONE    0
#define E_CLOSING 1
#define E_TIMEOUT 2

/* goroutine status */
#define G_RUNNING  0
#define G_PARKED   1
#define G_RUNNABLE 2

byte slot = NIL;       /* rg */
bit  closing = 0;      /* PollDesc::closing */
bit  expired = 0;      /* rd == kExpired */
bit  wasexp = 0;       /* ghost: rd was kExpired at some point */
byte data = 0;         /* bytes in the socket's receive buffer */
bit  ev = 0;           /* the socket is on epoll's ready list */

bit  wthread;          /* the waiter is a thread, else a goroutine */
byte gstat = G_RUNNING;
bit  ctx_saved = 0;
bit  commit_go = 0;    /* the worker is to run the commit */
bit  pstate = 0;       /* the thread's parker word: 0 armed, 1 woken */

/* ghosts */
byte pgen = 0;         /* park number of the waiter's current park */
bit  parked = 0;       /* registered in a park, not yet resumed */
bit  woke = 0;         /* this park was unparked */
bit  cframe = 0;       /* the WaitCommit on block()'s stack is alive */
byte nio = 0;          /* poll_unblock(io) calls that stored kReady */
byte nsent = 0;        /* bytes the peer sent */
byte nread = 0;        /* bytes the waiter read */
bit  wdone = 0;        /* the waiter returned an error */
bit  sentdone = 0;     /* the peer stopped sending */

/* unpark(Token) of park number g */
inline unpark(g) {
    atomic {
        assert(g == pgen && parked && !woke);        /* exactly once per park */
        woke = 1;
        if
        :: !wthread -> assert(gstat == G_PARKED); gstat = G_RUNNABLE  /* goready */
        :: else -> pstate = 1                          /* state = 1; futex_wake */
        fi
    }
}

/* poll_unblock(pd, Read, io) -> res (TOK or 0), g: the park it displaced */
inline poll_unblock(io, res, g, old) {
    res = 0;
    do
    :: old = slot;                                     /* slot.load() */
        if
        :: old == READY -> break                       /* already noted */
        :: old == NIL && !io -> break                  /* nothing to clear */
        :: else ->
#ifdef BUG_UNBLOCK_STORE
            atomic {
                if :: io -> slot = READY; nio++ :: else -> slot = NIL fi;
                if :: old == TOK -> res = TOK; g = pgen :: else -> skip fi
            }
            break
#else
            atomic {                                   /* compare_exchange */
                if
                :: slot == old ->
                    if :: io -> slot = READY; nio++ :: else -> slot = NIL fi;
#ifdef BUG_UNBLOCK_WAIT_TOKEN
                    if :: old == TOK || old == WAIT -> res = TOK; g = pgen :: else -> skip fi;
#else
                    if :: old == TOK -> res = TOK; g = pgen :: else -> skip fi;
#endif
                    old = 255                          /* done */
                :: else -> skip
                fi
            }
            if :: old == 255 -> break :: else -> skip fi
#endif
        fi
    od
}

inline wake_token(res, g) {
    if :: res == TOK -> unpark(g) :: else -> skip fi
}

/* PollDesc::check: closing, then the deadline (two loads) */
inline check(e) {
    if
    :: closing -> e = E_CLOSING
    :: else ->
        if :: expired -> e = E_TIMEOUT :: else -> e = E_NONE fi
    fi
}

/* publish_or_wake, on the worker (goroutine) or the thread itself */
inline commit(cok, g) {
#ifdef BUG_COMMIT_STORE
    atomic { assert(cframe); slot = TOK; cok = 1 }
#else
    atomic {
        assert(cframe);
        if :: slot == WAIT -> slot = TOK; cok = 1 :: else -> cok = 0 fi
    }
#endif
    if
    :: !cok ->
#ifndef BUG_NO_SELF_WAKE
        atomic { assert(cframe); g = pgen };           /* c->self */
        unpark(g)
#else
        skip
#endif
    :: else -> skip
    fi
}

/* block(pd, Read) -> ok */
inline block(ok) {
    do                                                 /* step 1 */
    :: atomic { if :: slot == READY -> slot = NIL; t = 1 :: else -> t = 0 fi };
        if :: t -> ok = 1; goto blocked :: else -> skip fi;
        atomic { if :: slot == NIL -> slot = WAIT; t = 1 :: else -> t = 0; old = slot fi };
        if
        :: t -> break
        :: else -> assert(old == READY)                /* corrupted: double wait */
        fi
    od;
#ifdef BUG_NO_RECHECK
    e = E_NONE;
#else
    check(e);                                          /* step 2 */
#endif
    if
    :: e == E_NONE ->
        /* WaitCommit c{&slot, park_token()} */
        atomic {
            cframe = 1;
            if :: wthread -> pstate = 0 :: else -> skip fi;
            pgen++; parked = 1; woke = 0
        }
        if
        :: !wthread ->
            /* Scheduler::park: switch_out; the worker saves g->ctx, then
               runs the commit (process Committer) */
            atomic { gstat = G_PARKED; ctx_saved = 1; commit_go = 1 };
end_gpark:  gstat == G_RUNNING
        :: else ->
            commit(cok, g);
end_tpark:  pstate == 1                            /* while (state == 0) futex_wait */
        fi;
        atomic { parked = 0; cframe = 0 }
    :: else -> skip
    fi;
    atomic {                                           /* step 4: exchange(kNil) */
        old = slot; slot = NIL;
        assert(old != TOK);                            /* corrupted: still a waiter */
#ifdef BUG_WAIT_AS_READY
        ok = (old != NIL)
#else
        ok = (old == READY)
#endif
    };
blocked:
    if :: ok -> assert(nio > 0) :: else -> skip fi    /* readiness was signalled */
}

/* poll_wait(pd, Read) -> e */
inline poll_wait(e) {
    check(e);
    if
    :: e == E_NONE ->
        do
        :: block(ok);
            if
            :: ok -> break
            :: else ->
                check(e);
                if :: e != E_NONE -> break :: else -> skip fi
            fi
        od
    :: else -> skip
    fi
}

/* ::read: some bytes, or EAGAIN (r = 0) */
inline sys_read(r) {
    atomic {
        if
        :: data > 0 -> r = 1; data--; nread++
        :: data > 1 -> r = 1; nread = nread + data; data = 0
        :: data == 0 -> r = 0
        fi
    }
}

proctype Waiter() {
    byte e, old, g, t;
    bit ok, cok, r, prepared;
    do                                                 /* NetFD::read, again and again */
    :: check(e);                                       /* poll_prepare */
        if :: e != E_NONE -> break :: else -> skip fi;
#ifndef BUG_PREPARE_AFTER_READ
        slot = NIL;
#endif
        prepared = 0;
        do
        :: sys_read(r);
            if
            :: r -> break
            :: else ->                                 /* EAGAIN */
#ifdef BUG_PREPARE_AFTER_READ
                if :: !prepared -> slot = NIL; prepared = 1 :: else -> skip fi;
#endif
                poll_wait(e);
                if :: e != E_NONE -> break :: else -> skip fi
            fi
        od;
        if :: e != E_NONE -> break :: else -> skip fi
    od;
    /* the read failed: with an error that was set */
    assert(e == E_CLOSING && closing || e == E_TIMEOUT && wasexp);
    wdone = 1
}

/* the worker g parked on runs its commit once g->ctx is saved */
active proctype Committer() {
    bit cok; byte g;
end: do
    :: atomic { commit_go -> commit_go = 0; assert(ctx_saved && gstat == G_PARKED) };
        commit(cok, g)
    od
}

/* some worker pops g from a run queue and jumps to g->ctx */
active proctype Resumer() {
end: do
    :: atomic { gstat == G_RUNNABLE -> assert(ctx_saved); ctx_saved = 0; gstat = G_RUNNING }
    od
}

/* the peer: each byte that arrives puts the socket on the ready list */
proctype Net() {
    do
    :: nsent < NEV -> atomic { data++; nsent++; ev = 1 }
    :: break
    od;
    sentdone = 1
}

/* Netpoll::poll: harvest the edge-triggered event, unblock, wake */
active proctype Poller() {
    byte res, g, old;
end: do
    :: atomic { ev -> ev = 0 };                        /* epoll_wait returns it */
        poll_unblock(1, res, g, old);
        wake_token(res, g)
    od
}

/* Netpoll::evict, or the socket stays open */
proctype Closer() {
    byte res, g, old;
    if
    :: skip
    :: 
#ifdef BUG_UNBLOCK_BEFORE_FLAG
        poll_unblock(0, res, g, old);
        closing = 1;
#else
        closing = 1;
        poll_unblock(0, res, g, old);
#endif
        wake_token(res, g)
    fi
}

/* a read deadline that passes (set_deadline in the past, or on_deadline),
   then may be cleared again (set_deadline(0)), or none */
proctype Deadline() {
    byte res, g, old;
    if
    :: skip
    ::
#ifdef BUG_UNBLOCK_BEFORE_FLAG
        poll_unblock(0, res, g, old);
        atomic { expired = 1; wasexp = 1 };
#else
        atomic { expired = 1; wasexp = 1 };
        poll_unblock(0, res, g, old);
#endif
        wake_token(res, g);
        if
        :: skip
        :: expired = 0        /* set_deadline(0): cleared, no wake-up */
        fi
    fi
}

/* the final state: nothing can move any more */
active proctype Check() {
    timeout ->
    atomic {
        assert(sentdone && ev == 0 && commit_go == 0);
        assert(nread + data == nsent);
        if
        :: !wdone ->
            /* parked, legitimately: its Token is published and unclaimed,
               and nothing it waits for has happened */
            assert(parked && !woke && slot == TOK);
            assert(data == 0 && !closing && !expired)
        :: else -> skip
        fi
    }
}

init {
    atomic {
        if :: wthread = 0 :: wthread = 1 fi;
        run Waiter(); run Net(); run Closer(); run Deadline()
    }
}
