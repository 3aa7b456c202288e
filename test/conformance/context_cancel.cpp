// context: Background, TODO, WithCancel, WithValue, Done, Err, Deadline.
#include <string>

#include "fmt.hpp"

using namespace gocxx;

inline const context::Key<std::string> userKey;  // type ctxKey int; const ( userKey ctxKey = iota
inline const context::Key<int> reqKey;           //     reqKey )

int main() {
    return gocxx::run([] {
        context::Context bg = context::background();                 // bg := context.Background()
        fmt::Println("background done is nil", bg.done() == nullptr);
        fmt::Println("background err", bg.err());
        bool ok = bg.deadline().second;                              // _, ok := bg.Deadline()
        fmt::Println("background has deadline", ok);
        fmt::Println("todo done is nil", context::todo().done() == nullptr);

        auto [ctx, cancel] = context::with_cancel(bg);               // ctx, cancel := context.WithCancel(bg)
        fmt::Println("err before cancel", ctx.err());
        select(                                                      // select {
            case_recv(ctx.done(), [&] {                              // case <-ctx.Done():
                fmt::Println("done early");
            }),
            case_default([&] {                                       // default:
                fmt::Println("not done");
            }));
        auto [child, childCancel] = context::with_cancel(ctx);       // child, childCancel := context.WithCancel(ctx)
        auto guard = defer([&childCancel = childCancel] { childCancel(); }); // defer childCancel()
        ok = child.deadline().second;                                // _, ok = child.Deadline()
        fmt::Println("child has deadline", ok);

        sync::WaitGroup wg;                                          // var wg sync.WaitGroup
        Channel<bool> woken(5);                                      // woken := make(chan bool, 5)
        for (int i = 0; i < 5; i++) {                                // for i := 0; i < 5; i++ {
            wg.add(1);                                               //     wg.Add(1)
            go([&wg, child = child, woken] {                         //     go func() {
                auto g = defer([&] { wg.done(); });                  //         defer wg.Done()
                child.done().recv();                                 //         <-child.Done()
                woken.send(true);                                    //         woken <- true
            });
        }
        cancel();                                                    // cancel()
        wg.wait();                                                   // wg.Wait()
        ctx.done().recv();                                           // <-ctx.Done()
        fmt::Println("waiters woken", woken.len());
        fmt::Println("err after cancel", ctx.err(), ctx.err() == context::Canceled);
        fmt::Println("child err", child.err());
        fmt::Println("same text is not the same error", ctx.err() == Error("context canceled"));
        cancel();                                                    // cancel()
        fmt::Println("cancel again", ctx.err());

        // Derived from a cancelled context: cancelled at once.
        auto [d, dcancel] = context::with_cancel(ctx);               // d, dcancel := context.WithCancel(ctx)
        fmt::Println("derived from cancelled", d.err());
        dcancel();                                                   // dcancel()

        // Cancelling a child leaves the parent alone.
        auto [p, pcancel] = context::with_cancel(bg);                // p, pcancel := context.WithCancel(bg)
        auto [c, ccancel] = context::with_cancel(p);                 // c, ccancel := context.WithCancel(p)
        ccancel();                                                   // ccancel()
        fmt::Println("child", c.err(), "parent", p.err());
        pcancel();                                                   // pcancel()
        fmt::Println("parent", p.err());

        // Cancel from another goroutine.
        auto [g, gcancel] = context::with_cancel(bg);                // g, gcancel := context.WithCancel(bg)
        go(gcancel);                                                 // go gcancel()
        g.done().recv();                                             // <-g.Done()
        fmt::Println("cancelled elsewhere", g.err());

        // Values travel down the chain.
        context::Context v1 = context::with_value(bg, userKey, "alice");  // v1 := context.WithValue(bg, userKey, "alice")
        context::Context v2 = context::with_value(v1, reqKey, 42);        // v2 := context.WithValue(v1, reqKey, 42)
        auto [vc, vcancel] = context::with_cancel(v2);               // vc, vcancel := context.WithCancel(v2)
        auto guard2 = defer([&vcancel = vcancel] { vcancel(); });    // defer vcancel()
        auto u = vc.value(userKey);                                  // u, ok := vc.Value(userKey).(string)
        fmt::Println("user", u.value_or(""), u.has_value());
        auto r = vc.value(reqKey);                                   // r, ok := vc.Value(reqKey).(int)
        fmt::Println("req", r.value_or(0), r.has_value());
        ok = bg.value(userKey).has_value();                          // _, ok = bg.Value(userKey).(string)
        fmt::Println("background has user", ok);
        ok = v1.value(reqKey).has_value();                           // _, ok = v1.Value(reqKey).(int)
        fmt::Println("parent sees child's value", ok);
        context::Context shadow = context::with_value(vc, userKey, "bob");  // shadow := context.WithValue(vc, userKey, "bob")
        std::string su = shadow.value(userKey).value_or("");         // u, _ = shadow.Value(userKey).(string)
        std::string u1 = vc.value(userKey).value_or("");             // u1, _ := vc.Value(userKey).(string)
        fmt::Println("shadowed", su, "original", u1);
    });
}
