// A do-nothing Temporal frontend for the generator benchmark: answers every unary call at once with
// the bytes it was given for that method (no decoding), so the load generator is what is measured.
// Go rather than Node so the stub costs a fraction of a core at 2,000/s on a 2-core host.
//
//	frontend-stub --reply StartWorkflowExecution=HEX --reply GetSystemInfo=HEX
//
// Prints its address on stdout, serves until stdin closes, then prints the number of calls per method.
package main

import (
	"encoding/hex"
	"flag"
	"fmt"
	"io"
	"net"
	"os"
	"strings"
	"sync"
	"sync/atomic"

	"google.golang.org/grpc"
	"google.golang.org/grpc/codes"
	"google.golang.org/grpc/status"
)

// rawCodec passes messages through as bytes: requests are never decoded, replies are pre-encoded.
type rawCodec struct{}

func (rawCodec) Marshal(v any) ([]byte, error) { return *(v.(*[]byte)), nil }
func (rawCodec) Unmarshal(data []byte, v any) error {
	*(v.(*[]byte)) = data
	return nil
}
func (rawCodec) Name() string { return "proto" }

type replies map[string][]byte

func (r replies) String() string { return fmt.Sprint(len(r)) }
func (r replies) Set(s string) error {
	method, encoded, ok := strings.Cut(s, "=")
	if !ok {
		return fmt.Errorf("expected METHOD=HEX, got %q", s)
	}
	b, err := hex.DecodeString(encoded)
	if err != nil {
		return err
	}
	r[method] = b
	return nil
}

func main() {
	table := replies{}
	flag.Var(table, "reply", "METHOD=HEX: the encoded response for a WorkflowService method (repeatable)")
	listen := flag.String("listen", "127.0.0.1:0", "address to listen on")
	flag.Parse()

	var counts sync.Map // method -> *atomic.Int64
	handler := func(_ any, stream grpc.ServerStream) error {
		full, _ := grpc.MethodFromServerStream(stream)
		method := full[strings.LastIndex(full, "/")+1:]
		var req []byte
		if err := stream.RecvMsg(&req); err != nil {
			return err
		}
		reply, ok := table[method]
		if !ok {
			return status.Errorf(codes.Unimplemented, "stub: %s", method)
		}
		c, _ := counts.LoadOrStore(method, new(atomic.Int64))
		c.(*atomic.Int64).Add(1)
		return stream.SendMsg(&reply)
	}
	lis, err := net.Listen("tcp", *listen)
	if err != nil {
		fmt.Fprintln(os.Stderr, err)
		os.Exit(1)
	}
	server := grpc.NewServer(grpc.ForceServerCodec(rawCodec{}), grpc.UnknownServiceHandler(handler))
	fmt.Println(lis.Addr().String())
	go func() {
		_, _ = io.Copy(io.Discard, os.Stdin)
		server.Stop()
	}()
	_ = server.Serve(lis)
	counts.Range(func(k, v any) bool {
		fmt.Printf("%s %d\n", k, v.(*atomic.Int64).Load())
		return true
	})
}
