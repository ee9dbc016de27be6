// Command k8s-validate checks Kubernetes manifests against the official Go API types.
//
// Usage: k8s-validate FILE...
//
// Each YAML document (separated by ---) must have an apiVersion/kind this program knows (the typed
// structs of k8s.io/api and the Prometheus Operator's monitoring.coreos.com/v1), must decode into
// that struct strictly (no unknown or duplicate fields, no wrong types) and must have metadata.name.
// Documents that hold only comments or whitespace are skipped.
//
// Each document is decoded twice and both must pass:
//   - sigs.k8s.io/yaml.UnmarshalStrict, and
//   - the way the API server sees what kubectl sends: YAML to JSON without looking at the target
//     type, then sigs.k8s.io/json's strict, case-sensitive decoder. This pass rejects what the first
//     one lets through: a number or boolean in a string field (`schedule: 5`, `value: 1`) which
//     UnmarshalStrict turns into a string, and a field name in the wrong case (`imagepullpolicy`)
//     which encoding/json matches case-insensitively. It also names the path of unknown fields.
//
// Output: one line per problem, `FILE: document N (Kind/name): error`, on stderr, and exit 1; or
// `ok: N documents in M files` on stdout and exit 0. Exit 2 on usage errors (no files, a file that
// cannot be read). N counts the non-empty documents of a file from 1.
package main

import (
	"bufio"
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"os"
	"reflect"
	"regexp"
	"sort"
	"strings"

	monitoringv1 "github.com/prometheus-operator/prometheus-operator/pkg/apis/monitoring/v1"
	appsv1 "k8s.io/api/apps/v1"
	autoscalingv2 "k8s.io/api/autoscaling/v2"
	batchv1 "k8s.io/api/batch/v1"
	corev1 "k8s.io/api/core/v1"
	networkingv1 "k8s.io/api/networking/v1"
	policyv1 "k8s.io/api/policy/v1"
	rbacv1 "k8s.io/api/rbac/v1"
	schedulingv1 "k8s.io/api/scheduling/v1"
	storagev1 "k8s.io/api/storage/v1"
	"k8s.io/apimachinery/pkg/api/meta"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
	"k8s.io/apimachinery/pkg/runtime"
	"k8s.io/apimachinery/pkg/runtime/schema"
	utilyaml "k8s.io/apimachinery/pkg/util/yaml"
	kjson "sigs.k8s.io/json"
	"sigs.k8s.io/yaml"
)

const usage = "usage: k8s-validate FILE...\n" +
	"checks each YAML document against the Kubernetes API types (strict: unknown fields, duplicate fields and wrong types are errors)\n"

// knownKinds maps each supported apiVersion/kind to its Go type: every kind with object metadata
// (not lists, options or status types) in the registered API groups.
func knownKinds() map[schema.GroupVersionKind]reflect.Type {
	scheme := runtime.NewScheme()
	for _, add := range []func(*runtime.Scheme) error{
		corev1.AddToScheme,
		appsv1.AddToScheme,
		batchv1.AddToScheme,
		rbacv1.AddToScheme,
		policyv1.AddToScheme,
		networkingv1.AddToScheme,
		autoscalingv2.AddToScheme,
		schedulingv1.AddToScheme,
		storagev1.AddToScheme,
		monitoringv1.AddToScheme,
	} {
		if err := add(scheme); err != nil {
			panic(err)
		}
	}
	kinds := map[schema.GroupVersionKind]reflect.Type{}
	for gvk, t := range scheme.AllKnownTypes() {
		if gvk.Version == runtime.APIVersionInternal {
			continue
		}
		obj, ok := reflect.New(t).Interface().(runtime.Object)
		if !ok {
			continue
		}
		if _, hasMeta := obj.(metav1.Object); !hasMeta || meta.IsListType(obj) {
			continue
		}
		kinds[gvk] = t
	}
	return kinds
}

type validator struct {
	kinds    map[schema.GroupVersionKind]reflect.Type
	out      io.Writer
	problems int
}

func (v *validator) report(file string, doc int, label, msg string) {
	v.problems++
	where := fmt.Sprintf("document %d", doc)
	if label != "" {
		where += " (" + label + ")"
	}
	fmt.Fprintf(v.out, "%s: %s: %s\n", file, where, oneLine(msg))
}

// validateFile checks every document of a file and returns how many non-empty documents it held.
func (v *validator) validateFile(file string, data []byte) int {
	reader := utilyaml.NewYAMLReader(bufio.NewReader(bytes.NewReader(data)))
	n := 0
	for {
		doc, err := reader.Read()
		if errors.Is(err, io.EOF) {
			return n
		}
		if err != nil {
			v.report(file, n+1, "", err.Error())
			return n + 1
		}
		// The API server sees JSON converted without regard to the target type (as kubectl sends it).
		// The strict conversion rejects YAML syntax errors and duplicate keys.
		j, err := yaml.YAMLToJSONStrict(doc)
		if err != nil {
			n++
			v.report(file, n, "", err.Error())
			continue
		}
		if bytes.Equal(bytes.TrimSpace(j), []byte("null")) {
			continue // empty: only comments or whitespace
		}
		n++
		v.validateDocument(file, n, doc, j)
	}
}

func (v *validator) validateDocument(file string, n int, doc, j []byte) {
	var head map[string]any
	if err := json.Unmarshal(j, &head); err != nil {
		v.report(file, n, "", "not a YAML mapping (expected an object with apiVersion and kind)")
		return
	}
	apiVersion, _ := head["apiVersion"].(string)
	kind, _ := head["kind"].(string)
	name := ""
	if m, ok := head["metadata"].(map[string]any); ok {
		name, _ = m["name"].(string)
	}
	label := kind
	if label == "" {
		label = "?"
	}
	if name != "" {
		label += "/" + name
	}
	if apiVersion == "" || kind == "" {
		missing := []string{}
		if apiVersion == "" {
			missing = append(missing, "apiVersion")
		}
		if kind == "" {
			missing = append(missing, "kind")
		}
		v.report(file, n, label, strings.Join(missing, " and ")+" missing (or not a string)")
		return
	}
	gv, err := schema.ParseGroupVersion(apiVersion)
	if err != nil {
		v.report(file, n, label, err.Error())
		return
	}
	t, ok := v.kinds[gv.WithKind(kind)]
	if !ok {
		v.report(file, n, label, v.unknownKind(gv, kind))
		return
	}

	// Pass 1: sigs.k8s.io/yaml.UnmarshalStrict.
	first := reflect.New(t).Interface()
	firstErr := yaml.UnmarshalStrict(doc, first)

	// Pass 2: as the API server decodes it (case-sensitive, no YAML-to-string coercion, every
	// unknown or duplicate field with its path).
	second := reflect.New(t).Interface()
	strictErrs, err := kjson.UnmarshalStrict(j, second)
	var problems []string
	if err != nil {
		problems = append(problems, err.Error())
	}
	for _, e := range strictErrs {
		problems = append(problems, e.Error())
	}
	// A type error stops pass 2 before it lists unknown fields; pass 1 (which coerces scalars into
	// strings) may still find one, so its error is reported too unless pass 2 said the same.
	if firstErr != nil && !alreadyReported(trimYAMLErr(firstErr), problems) {
		problems = append(problems, trimYAMLErr(firstErr))
	}
	for _, p := range problems {
		v.report(file, n, label, p)
	}
	if err != nil {
		return // not decoded: nothing more to check
	}
	if obj, ok := second.(metav1.Object); ok && obj.GetName() == "" {
		v.report(file, n, label, "metadata.name is required")
	}
}

func (v *validator) unknownKind(gv schema.GroupVersion, kind string) string {
	var sameGV []string
	var versions []string
	for gvk := range v.kinds {
		if gvk.GroupVersion() == gv {
			sameGV = append(sameGV, gvk.Kind)
		} else if gvk.Kind == kind && gvk.Group == gv.Group {
			versions = append(versions, gvk.GroupVersion().String())
		}
	}
	if len(sameGV) == 0 {
		if len(versions) > 0 {
			sort.Strings(versions)
			return fmt.Sprintf("unknown apiVersion %q for kind %s (known: %s)", gv.String(), kind, strings.Join(unique(versions), ", "))
		}
		return fmt.Sprintf("unknown apiVersion %q: no typed schema for it, so the document cannot be checked", gv.String())
	}
	sort.Strings(sameGV)
	return fmt.Sprintf("unknown kind %q in apiVersion %q (known: %s)", kind, gv.String(), strings.Join(sameGV, ", "))
}

var unknownFieldRE = regexp.MustCompile(`^json: unknown field "(.*)"$`)

// alreadyReported says whether a pass-1 error repeats one of pass 2: the same text, or the same
// unknown field (pass 2 names it with its path: "spec.template.spec.containers[0].imagePullPolicyy").
func alreadyReported(msg string, problems []string) bool {
	field := ""
	if m := unknownFieldRE.FindStringSubmatch(msg); m != nil {
		field = m[1]
	}
	for _, p := range problems {
		if p == msg {
			return true
		}
		if field != "" && (strings.HasSuffix(p, "."+field+`"`) || p == `unknown field "`+field+`"`) {
			return true
		}
	}
	return false
}

func unique(s []string) []string {
	out := s[:0]
	for i, x := range s {
		if i == 0 || x != s[i-1] {
			out = append(out, x)
		}
	}
	return out
}

// trimYAMLErr drops sigs.k8s.io/yaml's wrapping ("error unmarshaling JSON: while decoding JSON: ").
func trimYAMLErr(err error) string {
	msg := err.Error()
	for _, prefix := range []string{"error unmarshaling JSON: ", "while decoding JSON: "} {
		msg = strings.TrimPrefix(msg, prefix)
	}
	return msg
}

func oneLine(s string) string {
	return strings.Join(strings.Fields(s), " ")
}

func main() {
	os.Exit(run(os.Args[1:], os.Stdout, os.Stderr))
}

func run(args []string, stdout, stderr io.Writer) int {
	var files []string
	for i := 0; i < len(args); i++ {
		a := args[i]
		if a == "--" {
			files = append(files, args[i+1:]...)
			break
		}
		if a == "-h" || a == "--help" {
			fmt.Fprint(stdout, usage)
			return 0
		}
		if strings.HasPrefix(a, "-") && a != "-" {
			fmt.Fprintf(stderr, "k8s-validate: unknown option %s\n%s", a, usage)
			return 2
		}
		files = append(files, a)
	}
	if len(files) == 0 {
		fmt.Fprint(stderr, usage)
		return 2
	}
	v := &validator{kinds: knownKinds(), out: stderr}
	docs := 0
	unreadable := false
	for _, file := range files {
		var data []byte
		var err error
		if file == "-" {
			data, err = io.ReadAll(os.Stdin)
		} else {
			data, err = os.ReadFile(file)
		}
		if err != nil {
			fmt.Fprintf(stderr, "k8s-validate: %v\n", err)
			unreadable = true
			continue
		}
		docs += v.validateFile(file, data)
	}
	switch {
	case unreadable:
		return 2
	case v.problems > 0:
		return 1
	}
	fmt.Fprintf(stdout, "ok: %d documents in %d files\n", docs, len(files))
	return 0
}
