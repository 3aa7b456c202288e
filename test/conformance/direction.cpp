// chan<- T and <-chan T: directional channels, converted implicitly.
#include "fmt.hpp"

using namespace gocxx;

void produce(SendChannel<int> out, int n) {  // func produce(out chan<- int, n int) {
    for (int i = 0; i < n; i++) {            //     for i := 0; i < n; i++ {
        out.send(i * i);                     //         out <- i * i
    }
    out.close();                             //     close(out)
}

void consume(RecvChannel<int> in, SendChannel<int> done) {  // func consume(in <-chan int, done chan<- int) {
    int sum = 0;                                            //     sum := 0
    for (int v : in) {                                      //     for v := range in {
        sum += v;                                           //         sum += v
    }
    done.send(sum);                                         //     done <- sum
}

int first(RecvChannel<int> in) {       // func first(in <-chan int) int {
    int r = 0;
    select(case_recv(in, [&](int v) {  //     select { case v := <-in:
        r = v;                         //         return v
    }));
    return r;
}

int main() {
    return gocxx::run([] {
        Channel<int> ch;                                   // ch := make(chan int)
        Channel<int> done;                                 // done := make(chan int)
        go(produce, ch, 5);                                // go produce(ch, 5)
        go(consume, ch, done);                             // go consume(ch, done)
        fmt::Println("sum of squares", done.recv());

        Channel<int> buf(2);                               // buf := make(chan int, 2)
        SendChannel<int> s = buf;                          // var s chan<- int = buf
        RecvChannel<int> r = buf;                          // var r <-chan int = buf
        s.send(7);                                         // s <- 7
        fmt::Println("len", r.len(), "cap", s.cap());
        fmt::Println("via recv-only", r.recv());           // fmt.Println("via recv-only", <-r)
        s.send(8);                                         // s <- 8
        fmt::Println("first", first(r));                   // fmt.Println("first", first(r))

        RecvChannel<int> rs = nullptr;                     // var rs <-chan int
        fmt::Println("nil recv-only", rs == nullptr);
        rs = buf;                                          // rs = buf
        fmt::Println("nil recv-only", rs == nullptr);
        SendChannel<int> s2(buf);                          // s2 := chan<- int(buf)
        fmt::Println("same send channel", s2 == s);
    });
}
