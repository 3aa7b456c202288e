/*
 * park.pml -- SPIN model of gocxx's park/wake protocol.
 * Checked by test/model/check.sh (meson test --suite model).
 *
 * WHAT IT MODELS
 *   src/park/park.cpp      park_token, park, wait_in, unpark, unpark_chain
 *   src/sched/scheduler.cpp Scheduler::park (action/commit, switch_out),
 *                           Scheduler::execute (g->ctx saved, then
 *                           g->commit(g->commit_arg)), Scheduler::ready
 *                           (goready: onto a run queue; a worker later jumps
 *                           to g->ctx)
 *   src/sched/futex.hpp    futex_wait / futex_wake
 *   include/gocxx/detail/waiter.hpp  WaitQueue::push / dequeue / dequeue_all
 *   src/chan/chan.cpp      chan_recv (the parking side), chan_send (one
 *                           waker), chan_close (dequeue_all + unpark_chain)
 *   One queue under one Lock, used like a channel: parties receive ROUNDS
 *   times each; a sender dequeues one waiter (or buffers its value), a closer
 *   dequeues all and wakes the chain after unlocking.
 *
 * PARTIES
 *   G  a goroutine: lock; (re-check) register its Waiter; Scheduler::park
 *      switches to the worker, which saves g->ctx and only then runs the
 *      commit (unlock). A waker's goready puts g on a run queue; process
 *      Worker stands for "some worker pops g and jumps to g->ctx".
 *   T  a plain thread: park_token re-arms its ThreadParker (state = 0),
 *      register, commit (unlock), then `while (state == 0) futex_wait`.
 *      The thread parks ROUNDS times with the same parker, so the futex_wake
 *      of round 1's waker may land while round 2 sleeps (a pooled parker
 *      handed to another thread is the same case: park_token re-arms it).
 *      futex_wait may return spuriously (bounded by SPURIOUS so that a
 *      lost wake-up still ends in a blocked state that SPIN reports).
 *   S1,S2 senders (chan_send's fast path: dequeue under the lock, write the
 *      value into the waiter, read w->who, unlock, unpark(who)).
 *   C  closer (chan_close: dequeue_all, mark every waiter, unlock,
 *      unpark_chain reading w->next and w->who before unpark(w->who)).
 *
 * ABSTRACTIONS, AND WHY THEY ARE SOUND
 *   - Sequential consistency. Every hand-off between parties goes through the
 *     Lock (acquire/release), the parker's state word (release store /
 *     acquire load) or the run queue (release push / acquire pop), so the
 *     code is data-race free and behaves as under SC (DRF-SC). The one
 *     relaxed store (park_token's state = 0) is sequenced before the unlock
 *     that publishes the waiter, so the waker's store of 1 follows it in
 *     the word's modification order, exactly as here.
 *   - Granularity. A step that touches only lock-protected data (the queue,
 *     the buffer, the fields of a waiter owned by the lock holder) is merged
 *     with its neighbours into one atomic step: no other process can observe
 *     or change that data while the lock is held, so the merge removes only
 *     equivalent interleavings. Atomic RMWs and futex syscalls are one step
 *     each; the waker's state store and its futex_wake are separate steps.
 *   - The Lock is a single owner word (its futex sleep/spin path only
 *     changes who waits, not the mutual exclusion); the run queue is the
 *     gstat flag (Worker pops it); contexts are a `ctx_saved` flag.
 *   - A Waiter is the party's stack slot: same address every round. Its
 *     lifetime is modelled with w_live/w_gen (ghost): every access by a
 *     waker asserts the record is alive and still the generation it
 *     dequeued, which catches both use-after-free and use-after-reuse.
 *   - Values: a buffer of BUFCAP tokens stands for the channel buffer;
 *     values are distinct (1, 2) and CLOSED marks a wake by close.
 *   - Left out: the WaitReason / wait_since / G::status / ThreadParker::
 *     waiting stamps and Scheduler::thread_parked (read only by goroutine
 *     dumps and the deadlock detector, never by a waker), the run-queue
 *     mechanics behind goready (a push the worker later pops), and timers.
 *
 * PROPERTIES CHECKED (safety run, invalid end states on)
 *   - No lost wake-up: every party finishes; a registered park that is never
 *     resumed leaves its process blocked -> "invalid end state".
 *   - A resumed party has its value (assert w_val != 0); each value is
 *     received at most once (got[]); at the end all values are accounted.
 *   - No double wake: goready asserts g is parked (not already runnable or
 *     running); a thread unpark asserts the thread is registered and not yet
 *     resumed.
 *   - No resume before the context is saved (Worker asserts ctx_saved).
 *   - The waker never touches a waiter after its party may have resumed and
 *     freed/reused it (w_live/w_gen asserts on every waker access).
 *
 * MUTANTS (each must make SPIN report errors; see test/model/meson.build)
 *   BUG_COMMIT_BEFORE_SAVE   execute() runs the commit before saving g->ctx
 *   BUG_WAKE_BEFORE_STORE    unpark does futex_wake before state.store(1)
 *   BUG_NEXT_AFTER_UNPARK    unpark_chain reads w->next after unpark(w->who)
 *   BUG_NO_STATE_LOOP        park returns after one futex_wait (no re-check)
 */

#ifndef ROUNDS
#define ROUNDS 2
#endif
#ifndef SPURIOUS
#define SPURIOUS 1
#endif
#define BUFCAP 2
#define NONE 255
#define CLOSED 9

#define PG 0    /* party: the goroutine */
#define PT 1    /* party: the thread */

/* goroutine status */
#define G_RUNNING  0
#define G_PARKED   1   /* switched out: no longer running its own code */
#define G_RUNNABLE 2   /* goready'd, on a run queue */

byte lk = 0;               /* Lock: 0 free, else owner process + 1 */
byte q[2];                 /* WaitQueue: waiter records (party ids), FIFO */
byte qg[2];                /* ghost: generation of each queued record */
byte qn = 0;
byte buf[BUFCAP];          /* channel buffer */
byte bn = 0;
bit closed = 0;

/* Waiter records, one per party (its stack slot) */
bit  w_live[2];
byte w_gen[2];
byte w_val[2];
byte w_who[2];

/* goroutine */
byte gstat = G_RUNNING;
bit  ctx_saved = 0;

/* thread parker (pooled: reused across the thread's parks) */
byte pstate = 0;           /* 0 armed, 1 woken */
bit  fsleep = 0;           /* the thread sleeps in futex_wait */
bit  tpk = 0;              /* ghost: thread registered, not yet resumed */
byte spur = SPURIOUS;

byte got[3];               /* ghost: deliveries per value (index 1, 2) */
byte ndone = 0;
byte nsent = 0;

inline lock() { atomic { lk == 0 -> lk = _pid + 1 } }
inline unlock() { assert(lk == _pid + 1); lk = 0 }

/* a waker's access to a record it dequeued */
inline touch(p, gen) { assert(w_live[p] && w_gen[p] == gen) }

inline goready() {
    atomic { assert(gstat == G_PARKED); gstat = G_RUNNABLE }
}

/* unpark(who) for a thread: state.store(1, release); futex_wake */
inline unpark_thread() {
#ifdef BUG_WAKE_BEFORE_STORE
    fsleep = 0;
    atomic { assert(tpk); pstate = 1 }
#else
    atomic { assert(tpk); pstate = 1 }
    fsleep = 0;                      /* futex_wake(&state, 1) */
#endif
}

inline unpark(who) {
    if
    :: who == PG -> goready()
    :: else -> unpark_thread()
    fi
}

/* the party's receive, with the parking part of chan_recv / wait_in */
inline take_or_register(me, r, parks) {
    lock();
    atomic {
        w_live[me] = 1; w_gen[me] = r; w_val[me] = 0;   /* Waiter w; (fresh) */
        if
        :: bn > 0 ->                                    /* buf_take */
            w_val[me] = buf[0]; buf[0] = buf[1]; bn--;
            parks = 0
        :: bn == 0 && closed ->
            w_val[me] = CLOSED; parks = 0
        :: else ->                                      /* wait_in */
            parks = 1;
            w_who[me] = me;
            if :: me == PT -> pstate = 0; tpk = 1       /* park_token: arm */
               :: else -> skip
            fi;
            q[qn] = me; qg[qn] = r; qn++                /* q.push(&w) */
        fi;
        if :: parks == 0 -> unlock() :: else -> skip fi
    }
}

inline resumed(me) {
    assert(w_val[me] != 0);
    if :: w_val[me] != CLOSED -> got[w_val[me]]++; assert(got[w_val[me]] == 1)
       :: else -> skip
    fi;
    w_live[me] = 0                                      /* w goes out of scope */
}

proctype Gor() {
    byte r = 0; bit parks;
    do
    :: r < ROUNDS ->
        take_or_register(PG, r, parks);
        if
        :: parks ->
            /* Scheduler::park: action = Park, commit = unlock_commit;
               switch_out: g stops running; the worker takes over. */
            gstat = G_PARKED;
#ifdef BUG_COMMIT_BEFORE_SAVE
            unlock();                                   /* g->commit(arg) */
            ctx_saved = 1;                              /* g->ctx = t.fctx */
#else
            ctx_saved = 1;                              /* g->ctx = t.fctx */
            unlock();                                   /* g->commit(arg) */
#endif
            gstat == G_RUNNING                          /* resumed by a worker */
        :: else -> skip
        fi;
        resumed(PG);
        r++
    :: else -> break
    od;
    ndone++
}

/* "some worker" pops g from a run queue and jumps to g->ctx */
active proctype Worker() {
end: do
    :: atomic { gstat == G_RUNNABLE -> assert(ctx_saved); ctx_saved = 0; gstat = G_RUNNING }
    od
}

proctype Thr() {
    byte r = 0; bit parks;
    do
    :: r < ROUNDS ->
        take_or_register(PT, r, parks);
        if
        :: parks ->
            unlock();                                   /* commit(arg) */
#ifdef BUG_NO_STATE_LOOP
            if
            :: pstate != 0 -> skip
            :: else ->
                atomic { if :: pstate == 0 -> fsleep = 1 :: else -> skip fi };
                if
                :: fsleep == 0
                :: atomic { fsleep == 1 && spur > 0 -> spur--; fsleep = 0 }
                fi
            fi;
#else
            do                                          /* while (state == 0) */
            :: pstate != 0 -> break
            :: else ->
                /* futex_wait(&state, 0): the kernel re-checks the word and
                   sleeps atomically */
                atomic { if :: pstate == 0 -> fsleep = 1 :: else -> skip fi };
                if
                :: fsleep == 0                          /* woken (or never slept) */
                :: atomic { fsleep == 1 && spur > 0 -> spur--; fsleep = 0 }  /* spurious */
                fi
            od;
#endif
            tpk = 0
        :: else -> skip
        fi;
        resumed(PT);
        r++
    :: else -> break
    od;
    ndone++
}

/* chan_send: a receiver waiting -> hand over and wake it; else buffer */
proctype Sender(byte v) {
    byte p, gen, who;
    lock();
    atomic {
        if
        :: closed -> p = NONE; unlock(); goto out       /* panics: not sent */
        :: else -> skip
        fi;
        if
        :: qn > 0 ->                                    /* recvq.dequeue() */
            p = q[0]; gen = qg[0];
            q[0] = q[1]; qg[0] = qg[1]; qn--;
            touch(p, gen); w_val[p] = v;                /* send_to_receiver */
            touch(p, gen); who = w_who[p]               /* const Token who = w->who */
        :: else ->
            assert(bn < BUFCAP); buf[bn] = v; bn++; p = NONE
        fi;
        nsent++;
        unlock()
    }
    if
    :: p != NONE -> unpark(who)
    :: else -> skip
    fi;
out: skip
}

/* chan_close: dequeue_all, mark, unlock, unpark_chain */
proctype Closer() {
    byte ch[2], cg[2], n = 0, i = 0, who, nxt;
    lock();
    atomic {
        closed = 1;
        do
        :: qn > 0 ->
            ch[n] = q[0]; cg[n] = qg[0]; n++;
            q[0] = q[1]; qg[0] = qg[1]; qn--
        :: else -> break
        od;
        i = 0;
        do
        :: i < n -> touch(ch[i], cg[i]); w_val[ch[i]] = CLOSED; i++
        :: else -> break
        od;
        unlock()
    }
    /* unpark_chain(w): next = w->next; unpark(w->who); w = next */
    i = 0;
    do
    :: i < n ->
#ifdef BUG_NEXT_AFTER_UNPARK
        touch(ch[i], cg[i]); who = w_who[ch[i]];
        unpark(who);
        touch(ch[i], cg[i]); nxt = i + 1;               /* w = w->next, too late */
#else
        touch(ch[i], cg[i]); nxt = i + 1;               /* Waiter* next = w->next */
        touch(ch[i], cg[i]); who = w_who[ch[i]];
        unpark(who);
#endif
        i = nxt
    :: else -> break
    od
}

init {
    atomic {
        run Gor(); run Thr();
        run Sender(1); run Sender(2);
        run Closer()
    }
    ndone == 2;
    /* every value sent was received exactly once or is still buffered */
    assert(got[1] + got[2] + bn == nsent)
}
