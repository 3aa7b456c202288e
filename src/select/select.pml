/*
 * select.pml -- SPIN model of gocxx's channel operations and 3-pass select.
 * Checked by test/model/check.sh (meson test --suite model).
 *
 * WHAT IT MODELS
 *   src/select/select.cpp  select_cases: random poll order, LockSet::lock_all
 *                          (address order), pass 1 (first ready case), pass 2
 *                          (one Waiter per case sharing a SelectState, park
 *                          with unlock_all_commit), pass 3 (lock_all, unlink
 *                          every waiter but state.fired, unlock_all).
 *   src/chan/chan.cpp      chan_send, chan_recv (blocking), chan_close.
 *   src/chan/chan_core.hpp buf_put, buf_take, recv_from_sender (buffered:
 *                          take the head, put the sender's value at the
 *                          tail), send_to_receiver.
 *   include/gocxx/detail/waiter.hpp  WaitQueue::push, remove, dequeue (the
 *                          SelectState::done CAS; losing select waiters are
 *                          dropped on the way), dequeue_all.
 *   src/park/park.cpp      unpark_chain (reads w->next, w->who before unpark).
 *   src/sched/scheduler.cpp a goroutine's commit runs on its worker, so the
 *                          select's unlock_all_commit (process Committer) runs
 *                          concurrently with the select once it is woken, and
 *                          reads the LockSet on the select's stack.
 *
 * SCENARIOS: two channels A (0) and B (1), each of capacity 0 or 1;
 * three parties:
 *   S1  select { recv A, recv B }                (SCEN 1, 2, 3)
 *       select { recv A, send B <- 4 }           (SCEN 4)
 *   S2  select { send A <- 1, send B <- 2 }      (SCEN 1, 2)
 *       select { send A <- 1, recv B }           (SCEN 3, 4)
 *   P   SCEN 1: recv B, then close A
 *       SCEN 2: send B <- 3, then close A
 *       SCEN 3: send B <- 3, then close B
 *       SCEN 4: recv B, then close A
 *   (SCEN 4: the two selects can pair with each other on either channel:
 *   the one that polls second may find the other's waiters on both
 *   channels and must complete exactly one of the two pairings.)
 *   The selects are goroutines (their commit runs on a worker, see below);
 *   P's commit is a single unlock, the same for a goroutine or a thread.
 *   Together they cover: select-vs-select hand-off on both channels, plain
 *   ops against selects, a plain and a select sender queued together,
 *   buffers, close waking select receivers (ok = false) and select senders
 *   (panic), and stale (lost-CAS) select waiters dropped by dequeue,
 *   dequeue_all and left to pass 3.
 *
 * ABSTRACTIONS, AND WHY THEY ARE SOUND
 *   - park/unpark are the abstract permit `woken` (resumes only after an
 *     unpark, at most one unpark per park): exactly what src/park/park.pml
 *     verifies of the real mechanism (goroutine context switch, futex).
 *   - Sequential consistency: all channel state is under the channel Lock;
 *     SelectState::done is an acq_rel CAS; fired and the waiter fields are
 *     written by the claiming waker before it unlocks and unparks. The code
 *     is data-race free, so SC is exact (DRF-SC).
 *   - Granularity: steps that touch only data guarded by a lock the process
 *     holds are merged into one atomic step with at most one access to
 *     shared unguarded state (the CAS on done, the liveness asserts); other
 *     processes cannot observe the guarded data meanwhile, so this removes
 *     only equivalent interleavings. Each CAS, each lock and each unlock is
 *     its own step.
 *   - Values are small integers, buffers have one slot (cap <= 1), a Lock is
 *     an owner word (its spin/futex path only changes how waiters wait).
 *   - A send on a closed channel panics; the model ends that party there
 *     (its value is not sent), which is what the panic does to it.
 *   - A waiter record / SelectState / LockSet lives in its party's frame:
 *     `frame[p]` is 1 from the start of the operation to its return. Every
 *     access by another party (a waker's CAS on done, its writes into the
 *     waiter, unpark_chain's reads, the commit's reads of the LockSet)
 *     asserts the frame is alive.
 *
 * PROPERTIES CHECKED (safety run, invalid end states on)
 *   - Each value is delivered exactly once: a receiver asserts it is the
 *     first to get the value; at the end every value is either received
 *     once, buffered once, or still held by its blocked sender, and a
 *     returned sender's value was received or is buffered.
 *   - A select fires exactly one case: at most one claim per select
 *     (ghost counter at the CAS), a single unpark per park (assert), and the
 *     value accounting above (a second claimed case would lose or duplicate
 *     a value).
 *   - No deadlock when a partner exists: only parks carry end labels; lock
 *     waits do not, so a lock-order deadlock is an "invalid end state"
 *     (Check reports it first: a lock still held at the end). At the
 *     final state (timeout) process Check asserts that every unfinished
 *     party is parked, not yet woken, with all its waiters still queued and
 *     unclaimed (no lost wake-up), and that no channel has a partner for a
 *     parked party (no live sender and receiver waiters of different
 *     parties, no live receiver waiter with a non-empty buffer, no live
 *     sender waiter with buffer room, no live waiter on a closed channel).
 *     The same channel invariants are asserted at every unlock.
 *   - Lifetime: no access to a select's waiters, SelectState or LockSet
 *     after the select returned (frame asserts).
 *
 * MUTANTS (each must make SPIN report errors; see test/model/meson.build)
 *   BUG_NO_CAS       dequeue claims select waiters without the done CAS
 *   BUG_LOCK_ORDER   S2 locks its channels in descending address order
 *   BUG_PASS3_NOLOCK pass 3 unlinks its waiters without taking the locks
 *   BUG_SPLIT_PASS   the select unlocks between pass 1 and pass 2 (lost
 *                    wake-up: a partner parks meanwhile)
 */

/* By default init chooses the scenario and both capacities
   nondeterministically, so one run covers all 4 x 2 x 2 configurations;
   -DSCEN=n, -DCAPA=n, -DCAPB=n pin one of them. */

#define NP 3            /* parties: 0 = S1, 1 = S2, 2 = P */
#define NW 6            /* waiter slots: party * 2 + case (case k is on chan k) */
#define QN 3            /* queue capacity (one waiter per party at most) */
#define NV 4            /* values 1..4 */
#define NONE 255

byte scen;              /* the scenario, 1..4 (see the header) */
byte lk[2];             /* Lock of each channel: 0 free, else party + 1 */
bit  closed[2];
byte capc[2];
byte cnt[2];            /* buffered values (0 or 1) */
byte bufv[2];           /* the buffered value */

/* wait queues: index Q = chan * 2 + dir, dir 0 = recvq, 1 = sendq */
byte qa[4 * QN];
byte qlen[4];

/* waiter records */
bit  w_q[NW];           /* queued */
bit  w_sel[NW];         /* a select's waiter (w->sel != nullptr) */
byte w_elem[NW];        /* send: value to move from; recv: value moved in */
bit  w_succ[NW];

/* one operation frame per party: its waiters, SelectState, LockSet */
bit  frame[NP];
bit  sdone[NP];         /* SelectState::done */
byte sfired[NP];        /* SelectState::fired */
bit  parked[NP];        /* ghost: registered, not yet resumed */
bit  woken[NP];         /* the park permit */
bit  commit_go[NP];     /* hand unlock_all_commit to the worker */

/* the cases of a select: case k of party p is on channel k */
bit  c_send[NW];
byte c_val[NW];

/* ghosts */
byte nclaim[NP];
byte sent[NV + 1];
byte recvd[NV + 1];
bit  finished[NP];

inline lock(c, p) { atomic { lk[c] == 0 -> lk[c] = p + 1 } }

#define live(w) (w_q[w] && (!w_sel[w] || sdone[(w) / 2] == 0))

/* the chan_core.hpp invariants, over unclaimed ("live") waiters */
inline inv(c) {
    d_step {
        i1 = 0;
        do
        :: i1 < qlen[c * 2] ->
            w1 = qa[(c * 2) * QN + i1];
            if
            :: live(w1) ->
                assert(cnt[c] == 0 && !closed[c]);
                i2 = 0;
                do
                :: i2 < qlen[c * 2 + 1] ->
                    w2 = qa[(c * 2 + 1) * QN + i2];
                    assert(!live(w2) || w2 / 2 == w1 / 2);
                    i2++
                :: else -> break
                od
            :: else -> skip
            fi;
            i1++
        :: else -> break
        od;
        i1 = 0;
        do
        :: i1 < qlen[c * 2 + 1] ->
            w1 = qa[(c * 2 + 1) * QN + i1];
            assert(!live(w1) || (cnt[c] == capc[c] && !closed[c]));
            i1++
        :: else -> break
        od;
        i1 = 0; i2 = 0; w1 = 0; w2 = 0
    }
}

inline unlock(c, p) {
    inv(c);
    assert(lk[c] == p + 1); lk[c] = 0
}

inline lock_all(p) {
#ifdef BUG_LOCK_ORDER
    if
    :: p == 1 -> lock(1, p); lock(0, p)
    :: else -> lock(0, p); lock(1, p)
    fi
#else
    lock(0, p); lock(1, p)
#endif
}
inline unlock_all(p) { unlock(1, p); unlock(0, p) }

inline push(Q, w) {
    qa[Q * QN + qlen[Q]] = w; qlen[Q]++; w_q[w] = 1
}

/* WaitQueue::remove (no-op if not queued) */
inline qremove(Q, w) {
    if
    :: w_q[w] ->
        i1 = 0;
        do
        :: qa[Q * QN + i1] == w -> break
        :: else -> i1++
        od;
        do
        :: i1 + 1 < qlen[Q] -> qa[Q * QN + i1] = qa[Q * QN + i1 + 1]; i1++
        :: else -> break
        od;
        qlen[Q]--; qa[Q * QN + qlen[Q]] = 0; w_q[w] = 0; i1 = 0
    :: else -> skip
    fi
}

/* WaitQueue::dequeue: remove the head; a select's waiter is returned only
   if this party wins the CAS on its SelectState::done (then fired = w),
   else it is dropped and the next one is tried. One step per waiter. */
inline dequeue(Q, res) {
    res = NONE;
    do
    :: qlen[Q] == 0 -> break
    :: else ->
        atomic {
            res = qa[Q * QN];
            qremove(Q, res);
            if
            :: w_sel[res] ->
                assert(frame[res / 2]);                 /* w->sel is alive */
#ifdef BUG_NO_CAS
                /* no ghost count here: the double wake and the value
                   accounting must catch this on their own */
                sdone[res / 2] = 1; sfired[res / 2] = res
#else
                if
                :: sdone[res / 2] == 0 ->
                    sdone[res / 2] = 1; sfired[res / 2] = res; nclaim[res / 2]++;
                    assert(nclaim[res / 2] <= 1)
                :: else -> res = NONE                   /* lost: dropped */
                fi
#endif
            :: else -> skip
            fi
        }
        if
        :: res != NONE -> break
        :: else -> skip
        fi
    od
}

inline touch(w) { assert(frame[w / 2]) }

inline unpark(p) {
    atomic { assert(parked[p] && !woken[p]); woken[p] = 1 }
}

/* a receiver got value v (ok) */
inline got(v) {
    atomic { recvd[v]++; assert(recvd[v] == 1) }
}

/* ---------------------------------------------------------------- select */

proctype Select(byte me) {
    byte o[2], k, i, c, w, who, wp, fired, v;
    byte i1, i2, w1, w2;                    /* scratch for the inlines */
    bit ok, panicked;

    frame[me] = 1;
    /* poll order: a uniform random permutation */
    if
    :: o[0] = 0; o[1] = 1
    :: o[0] = 1; o[1] = 0
    fi;

    lock_all(me);
    /* Pass 1 */
    k = 0;
    do
    :: k < 2 ->
        i = o[k]; c = i; w = me * 2 + i;
        if
        :: c_send[w] ->
            if
            :: closed[c] -> unlock_all(me); panicked = 1; goto fin
            :: else -> skip
            fi;
            dequeue(c * 2, who);                    /* c->recvq.dequeue() */
            if
            :: who != NONE ->
                atomic { touch(who); w_elem[who] = c_val[w]; w_succ[who] = 1; wp = who / 2 };
                unlock_all(me); unpark(wp);
                ok = 1; goto fin
            :: who == NONE && cnt[c] < capc[c] ->
                atomic { bufv[c] = c_val[w]; cnt[c]++ };
                unlock_all(me); ok = 1; goto fin
            :: else -> skip
            fi
        :: else ->
            dequeue(c * 2 + 1, who);                /* c->sendq.dequeue() */
            if
            :: who != NONE ->
                atomic {                            /* recv_from_sender */
                    touch(who);
                    if
                    :: capc[c] == 0 -> v = w_elem[who]
                    :: else -> v = bufv[c]; bufv[c] = w_elem[who]
                    fi;
                    w_succ[who] = 1; wp = who / 2
                };
                unlock_all(me); unpark(wp);
                ok = 1; goto fin
            :: who == NONE && cnt[c] > 0 ->
                atomic { v = bufv[c]; bufv[c] = 0; cnt[c]-- };
                unlock_all(me); ok = 1; goto fin
            :: who == NONE && cnt[c] == 0 && closed[c] ->
                unlock_all(me); ok = 0; goto fin
            :: else -> skip
            fi
        fi;
        k++
    :: else -> break
    od;

#ifdef BUG_SPLIT_PASS
    unlock_all(me);
    lock_all(me);
#endif
    /* Pass 2: one waiter per case, all sharing this select's state */
    atomic {
        sdone[me] = 0; sfired[me] = NONE; parked[me] = 1;
        k = 0;
        do
        :: k < 2 ->
            w = me * 2 + o[k];
            w_sel[w] = 1; w_succ[w] = 0;
            if
            :: c_send[w] -> w_elem[w] = c_val[w]; push(o[k] * 2 + 1, w)
            :: else -> w_elem[w] = 0; push(o[k] * 2, w)
            fi;
            k++
        :: else -> break
        od
    }
    /* park(self, unlock_all_commit, &locks): the worker runs the commit */
    commit_go[me] = 1;
end_sel:
    atomic { woken[me] -> woken[me] = 0; parked[me] = 0 }

    /* Pass 3 */
#ifndef BUG_PASS3_NOLOCK
    lock_all(me);
#endif
    atomic {
        fired = sfired[me];
        k = 0;
        do
        :: k < 2 ->
            w = me * 2 + k;
            if
            :: w != fired -> qremove(k * 2 + c_send[w], w)
            :: else -> skip
            fi;
            k++
        :: else -> break
        od
    }
#ifndef BUG_PASS3_NOLOCK
    unlock_all(me);
#endif
    i = fired % 2; ok = w_succ[fired];
    if
    :: c_send[fired] && !ok -> panicked = 1      /* closed while waiting */
    :: !c_send[fired] && ok -> v = w_elem[fired]
    :: else -> skip
    fi;
fin:
    atomic {
        frame[me] = 0;                           /* waiters, state, LockSet gone */
        if
        :: panicked -> skip
        :: c_send[me * 2 + i] && ok -> sent[c_val[me * 2 + i]] = 1
        :: !c_send[me * 2 + i] && ok -> got(v)
        :: else -> skip                          /* received "closed" */
        fi;
        finished[me] = 1
    }
}

/* unlock_all_commit, run by the worker after the select is switched out:
   reads locks.chans[i] from the select's frame, unlocks in reverse order */
proctype Committer(byte me) {
    byte i1, i2, w1, w2;
end_c:
    atomic { commit_go[me] -> commit_go[me] = 0 };
    assert(frame[me]);                           /* chans[1] */
    unlock(1, me);
    assert(frame[me]);                           /* chans[0] */
    unlock(0, me)
}

/* ----------------------------------------------------------- plain ops */

/* chan_send (block = true) by party p of value val on channel c */
inline plain_send(p, c, val) {
    frame[p] = 1;
    lock(c, p);
    if
    :: closed[c] -> unlock(c, p); goto pfin          /* panics */
    :: else -> skip
    fi;
    dequeue(c * 2, who);
    if
    :: who != NONE ->
        atomic { touch(who); w_elem[who] = val; w_succ[who] = 1; wp = who / 2 };
        unlock(c, p); unpark(wp);
        sent[val] = 1
    :: who == NONE && cnt[c] < capc[c] ->
        atomic { bufv[c] = val; cnt[c]++ };
        unlock(c, p);
        sent[val] = 1
    :: else ->
        atomic {                                     /* wait_in(sendq) */
            w = p * 2; w_sel[w] = 0; w_elem[w] = val; w_succ[w] = 0;
            parked[p] = 1; push(c * 2 + 1, w)
        };
        unlock(c, p);                                /* the commit */
end_ps: atomic { woken[p] -> woken[p] = 0; parked[p] = 0 };
        if
        :: w_succ[w] -> sent[val] = 1
        :: else -> skip                              /* closed: panics */
        fi
    fi;
pfin:
    frame[p] = 0
}

/* chan_recv (block = true) */
inline plain_recv(p, c) {
    frame[p] = 1;
    lock(c, p);
    dequeue(c * 2 + 1, who);
    if
    :: who != NONE ->
        atomic {
            touch(who);
            if
            :: capc[c] == 0 -> v = w_elem[who]
            :: else -> v = bufv[c]; bufv[c] = w_elem[who]
            fi;
            w_succ[who] = 1; wp = who / 2
        };
        unlock(c, p); unpark(wp);
        got(v)
    :: who == NONE && cnt[c] > 0 ->
        atomic { v = bufv[c]; bufv[c] = 0; cnt[c]-- };
        unlock(c, p);
        got(v)
    :: who == NONE && cnt[c] == 0 && closed[c] -> unlock(c, p)
    :: else ->
        atomic {                                     /* wait_in(recvq) */
            w = p * 2; w_sel[w] = 0; w_elem[w] = 0; w_succ[w] = 0;
            parked[p] = 1; push(c * 2, w)
        };
        unlock(c, p);
end_pr: atomic { woken[p] -> woken[p] = 0; parked[p] = 0 };
        if
        :: w_succ[w] -> got(w_elem[w])
        :: else -> skip
        fi
    fi;
    frame[p] = 0
}

/* chan_close: dequeue_all both queues, mark, unlock, unpark_chain */
inline plain_close(p, c) {
    lock(c, p);
    atomic {
        closed[c] = 1;
        n = 0;
        do
        :: qlen[c * 2] > 0 -> dequeue(c * 2, who);
            if :: who != NONE -> ch[n] = who; n++ :: else -> skip fi
        :: else -> break
        od;
        do
        :: qlen[c * 2 + 1] > 0 -> dequeue(c * 2 + 1, who);
            if :: who != NONE -> ch[n] = who; n++ :: else -> skip fi
        :: else -> break
        od;
        k = 0;
        do
        :: k < n -> touch(ch[k]); w_succ[ch[k]] = 0; k++
        :: else -> break
        od
    };
    unlock(c, p);
    k = 0;
    do
    :: k < n ->
        touch(ch[k]);                                /* next = w->next; w->who */
        unpark(ch[k] / 2);
        k++
    :: else -> break
    od
}

proctype Plain(byte me) {
    byte who, wp, w, v, n, k, ch[NP];
    byte i1, i2, w1, w2;
    byte cc;
    if
    :: scen == 1 || scen == 4 -> plain_recv(me, 1)   /* recv B */
    :: else -> plain_send(me, 1, 3)              /* send B <- 3 */
    fi;
    if
    :: scen == 3 -> cc = 1                       /* close B */
    :: else -> cc = 0                            /* close A */
    fi;
    plain_close(me, cc);
    finished[me] = 1
}

/* At the final state: no lost wake-up, no missed partner, values intact. */
active proctype Check() {
    byte p, c, k, w, i1, i2, w1, w2, n;
    timeout ->
    atomic {
        /* no lock is held (a lock-order deadlock stops here) and the
           channel invariants hold */
        c = 0;
        do
        :: c < 2 -> assert(lk[c] == 0); inv(c); c++
        :: else -> break
        od;
        p = 0;
        do
        :: p < NP ->
            if
            :: !finished[p] ->
                assert(parked[p] && !woken[p]);     /* blocked in park, not lost */
                k = 0;
                do
                :: k < 2 ->
                    w = p * 2 + k;
                    if
                    :: p == 2 -> assert(k == 1 || w_q[w])   /* plain: one waiter */
                    :: else -> assert(w_q[w] && sdone[p] == 0)
                    fi;
                    k++
                :: else -> break
                od
            :: else -> skip
            fi;
            p++
        :: else -> break
        od;
        /* each value: received once, or buffered once, or never sent */
        k = 1;
        do
        :: k <= NV ->
            n = recvd[k] + (cnt[0] > 0 && bufv[0] == k) + (cnt[1] > 0 && bufv[1] == k);
            assert(n == sent[k]);
            k++
        :: else -> break
        od
    }
}

init {
    atomic {
#ifdef SCEN
        scen = SCEN;
#else
        if :: scen = 1 :: scen = 2 :: scen = 3 :: scen = 4 fi;
#endif
#ifdef CAPA
        capc[0] = CAPA;
#else
        if :: capc[0] = 0 :: capc[0] = 1 fi;
#endif
#ifdef CAPB
        capc[1] = CAPB;
#else
        if :: capc[1] = 0 :: capc[1] = 1 fi;
#endif
        /* S1: select { recv A, recv B } or { recv A, send B <- 4 } */
        c_send[0] = 0;
        if
        :: scen == 4 -> c_send[1] = 1; c_val[1] = 4
        :: else -> c_send[1] = 0
        fi;
        /* S2: select { send A <- 1, send B <- 2 } or { send A <- 1, recv B } */
        c_send[2] = 1; c_val[2] = 1;
        if
        :: scen >= 3 -> c_send[3] = 0
        :: else -> c_send[3] = 1; c_val[3] = 2
        fi;
        run Select(0); run Committer(0);
        run Select(1); run Committer(1);
        run Plain(2)
    }
}
