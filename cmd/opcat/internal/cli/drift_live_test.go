package cli

import (
	"bytes"
	"context"
	"crypto/rand"
	"crypto/rsa"
	"crypto/tls"
	"crypto/x509"
	"encoding/pem"
	"fmt"
	"net"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/operator-framework/api/crds"
	yaml "go.yaml.in/yaml/v3"
	apiextensionsv1 "k8s.io/apiextensions-apiserver/pkg/apis/apiextensions/v1"
	apierrors "k8s.io/apimachinery/pkg/api/errors"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
	"k8s.io/apimachinery/pkg/apis/meta/v1/unstructured"
	"k8s.io/apimachinery/pkg/runtime"
	"k8s.io/apimachinery/pkg/runtime/schema"
	"k8s.io/client-go/dynamic"
	"k8s.io/client-go/rest"
)

// kubeVersion is the kubernetes release .ci/kube-test-bins builds.
const kubeVersion = "v1.36.2"

// testBinDir is where .ci/kube-test-bins caches kube-apiserver and etcd.
func testBinDir() string {
	if d := os.Getenv("OPCAT_TEST_BIN_DIR"); d != "" {
		return d
	}
	cache := os.Getenv("XDG_CACHE_HOME")
	if cache == "" {
		home, _ := os.UserHomeDir()
		cache = filepath.Join(home, ".cache")
	}
	return filepath.Join(cache, "opcat-test", kubeVersion)
}

func freePort(t *testing.T) int {
	t.Helper()
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	defer l.Close()
	return l.Addr().(*net.TCPAddr).Port
}

// startProcess runs a test server until the test ends; its output goes to
// a log file shown when the test fails.
func startProcess(t *testing.T, name string, args ...string) {
	t.Helper()
	logFile := filepath.Join(t.TempDir(), filepath.Base(name)+".log")
	out, err := os.Create(logFile)
	if err != nil {
		t.Fatal(err)
	}
	cmd := exec.Command(name, args...)
	cmd.Stdout, cmd.Stderr = out, out
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() {
		cmd.Process.Kill()
		cmd.Wait()
		out.Close()
		if t.Failed() {
			data, _ := os.ReadFile(logFile)
			if len(data) > 4000 {
				data = data[len(data)-4000:]
			}
			t.Logf("%s log (end):\n%s", filepath.Base(name), data)
		}
	})
}

// startAPIServer starts etcd and kube-apiserver on 127.0.0.1 and returns
// a kubeconfig file for them.
func startAPIServer(t *testing.T) (kubeconfig string, cfg *rest.Config) {
	bin := testBinDir()
	for _, b := range []string{"etcd", "kube-apiserver"} {
		if _, err := os.Stat(filepath.Join(bin, b)); err != nil {
			t.Skipf("%s is not in %s: run .ci/kube-test-bins to build it (%v)", b, bin, err)
		}
	}
	dir := t.TempDir()
	client, peer := freePort(t), freePort(t)
	etcdURL := fmt.Sprintf("http://127.0.0.1:%d", client)
	peerURL := fmt.Sprintf("http://127.0.0.1:%d", peer)
	startProcess(t, filepath.Join(bin, "etcd"),
		"--name", "opcat-test", "--data-dir", filepath.Join(dir, "etcd"),
		"--listen-client-urls", etcdURL, "--advertise-client-urls", etcdURL,
		"--listen-peer-urls", peerURL, "--initial-advertise-peer-urls", peerURL,
		"--initial-cluster", "opcat-test="+peerURL, "--log-level", "error")

	key, err := rsa.GenerateKey(rand.Reader, 2048)
	if err != nil {
		t.Fatal(err)
	}
	keyFile := filepath.Join(dir, "sa.key")
	der, _ := x509.MarshalPKCS8PrivateKey(key)
	os.WriteFile(keyFile, pem.EncodeToMemory(&pem.Block{Type: "PRIVATE KEY", Bytes: der}), 0o600)
	token := "opcat-test-token"
	tokens := filepath.Join(dir, "tokens.csv")
	os.WriteFile(tokens, []byte(token+`,opcat-test,opcat-test,"system:masters"`+"\n"), 0o600)
	port := freePort(t)
	startProcess(t, filepath.Join(bin, "kube-apiserver"),
		"--etcd-servers", etcdURL,
		"--bind-address", "127.0.0.1", "--advertise-address", "127.0.0.1",
		"--secure-port", fmt.Sprint(port), "--cert-dir", filepath.Join(dir, "certs"),
		"--token-auth-file", tokens, "--authorization-mode", "RBAC",
		"--service-account-issuer", "https://kubernetes.default.svc",
		"--service-account-key-file", keyFile, "--service-account-signing-key-file", keyFile,
		"--service-cluster-ip-range", "10.0.0.0/24",
		"--enable-priority-and-fairness=false",
		"--disable-admission-plugins", "ServiceAccount")

	host := fmt.Sprintf("https://127.0.0.1:%d", port)
	kubeconfig = filepath.Join(dir, "kubeconfig")
	os.WriteFile(kubeconfig, []byte(fmt.Sprintf(`apiVersion: v1
kind: Config
clusters:
- name: local
  cluster: {server: %q, insecure-skip-tls-verify: true}
users:
- name: test
  user: {token: %q}
contexts:
- name: local
  context: {cluster: local, user: test}
current-context: local
`, host, token)), 0o600)
	cfg = &rest.Config{Host: host, BearerToken: token, TLSClientConfig: rest.TLSClientConfig{Insecure: true}}

	hc := &http.Client{Timeout: 2 * time.Second, Transport: &http.Transport{TLSClientConfig: &tls.Config{InsecureSkipVerify: true}}}
	deadline := time.Now().Add(3 * time.Minute)
	for {
		req, _ := http.NewRequest("GET", host+"/readyz", nil)
		req.Header.Set("Authorization", "Bearer "+token)
		resp, err := hc.Do(req)
		if err == nil {
			resp.Body.Close()
			if resp.StatusCode == http.StatusOK {
				break
			}
		}
		if time.Now().After(deadline) {
			t.Fatalf("kube-apiserver not ready after 3 minutes: %v", err)
		}
		time.Sleep(500 * time.Millisecond)
	}
	return kubeconfig, cfg
}

func toUnstructured(t *testing.T, obj runtime.Object) *unstructured.Unstructured {
	t.Helper()
	m, err := runtime.DefaultUnstructuredConverter.ToUnstructured(obj)
	if err != nil {
		t.Fatal(err)
	}
	return &unstructured.Unstructured{Object: m}
}

// installCRDs installs OLM's CRDs from operator-framework/api and waits
// until they are served.
func installCRDs(t *testing.T, client dynamic.Interface) {
	gvr := schema.GroupVersionResource{Group: "apiextensions.k8s.io", Version: "v1", Resource: "customresourcedefinitions"}
	ctx := context.Background()
	for _, crd := range []*apiextensionsv1.CustomResourceDefinition{crds.Subscription(), crds.OperatorGroup(), crds.ClusterServiceVersion(), crds.InstallPlan(), crds.CatalogSource()} {
		u := toUnstructured(t, crd)
		u.SetAPIVersion("apiextensions.k8s.io/v1")
		u.SetKind("CustomResourceDefinition")
		unstructured.RemoveNestedField(u.Object, "status")
		if _, err := client.Resource(gvr).Create(ctx, u, metav1.CreateOptions{}); err != nil {
			t.Fatalf("CRD %s: %v", crd.Name, err)
		}
	}
	for _, r := range []schema.GroupVersionResource{
		{Group: "operators.coreos.com", Version: "v1alpha1", Resource: "subscriptions"},
		{Group: "operators.coreos.com", Version: "v1", Resource: "operatorgroups"},
		{Group: "operators.coreos.com", Version: "v1alpha1", Resource: "clusterserviceversions"},
		{Group: "operators.coreos.com", Version: "v1alpha1", Resource: "installplans"},
		{Group: "operators.coreos.com", Version: "v1alpha1", Resource: "catalogsources"},
	} {
		deadline := time.Now().Add(time.Minute)
		for {
			_, err := client.Resource(r).Namespace("default").List(ctx, metav1.ListOptions{})
			if err == nil {
				break
			}
			if time.Now().After(deadline) {
				t.Fatalf("%s not served: %v", r.Resource, err)
			}
			time.Sleep(200 * time.Millisecond)
		}
	}
}

var resources = map[string]schema.GroupVersionResource{
	"Subscription":          {Group: "operators.coreos.com", Version: "v1alpha1", Resource: "subscriptions"},
	"OperatorGroup":         {Group: "operators.coreos.com", Version: "v1", Resource: "operatorgroups"},
	"ClusterServiceVersion": {Group: "operators.coreos.com", Version: "v1alpha1", Resource: "clusterserviceversions"},
	"InstallPlan":           {Group: "operators.coreos.com", Version: "v1alpha1", Resource: "installplans"},
	"CatalogSource":         {Group: "operators.coreos.com", Version: "v1alpha1", Resource: "catalogsources"},
}

// load puts the objects of a dump on the cluster, status included, after
// removing what the previous dump put there.
func load(t *testing.T, client dynamic.Interface, dumpFile string) {
	t.Helper()
	ctx := context.Background()
	for _, ns := range []string{"openshift-gitops-operator", "mq", "openshift-marketplace"} {
		nsObj := &unstructured.Unstructured{Object: map[string]any{"apiVersion": "v1", "kind": "Namespace", "metadata": map[string]any{"name": ns}}}
		_, err := client.Resource(schema.GroupVersionResource{Version: "v1", Resource: "namespaces"}).Create(ctx, nsObj, metav1.CreateOptions{})
		if err != nil && !apierrors.IsAlreadyExists(err) {
			t.Fatal(err)
		}
		for _, gvr := range resources {
			if err := client.Resource(gvr).Namespace(ns).DeleteCollection(ctx, metav1.DeleteOptions{}, metav1.ListOptions{}); err != nil {
				t.Fatal(err)
			}
		}
	}
	data, err := os.ReadFile(dumpFile)
	if err != nil {
		t.Fatal(err)
	}
	var list struct {
		Items []map[string]any `yaml:"items" json:"items"`
	}
	if err := yaml.Unmarshal(data, &list); err != nil {
		t.Fatal(err)
	}
	for _, obj := range list.Items {
		u := &unstructured.Unstructured{Object: obj}
		gvr, ok := resources[u.GetKind()]
		if !ok {
			t.Fatalf("%s: kind %s", dumpFile, u.GetKind())
		}
		status, hasStatus := obj["status"]
		for _, f := range []string{"uid", "resourceVersion", "creationTimestamp", "generation"} {
			unstructured.RemoveNestedField(u.Object, "metadata", f)
		}
		delete(u.Object, "status")
		created, err := client.Resource(gvr).Namespace(u.GetNamespace()).Create(ctx, u, metav1.CreateOptions{})
		if err != nil {
			t.Fatalf("create %s %s/%s: %v", u.GetKind(), u.GetNamespace(), u.GetName(), err)
		}
		if hasStatus {
			created.Object["status"] = status
			if _, err := client.Resource(gvr).Namespace(u.GetNamespace()).UpdateStatus(ctx, created, metav1.UpdateOptions{}); err != nil {
				t.Fatalf("status of %s %s/%s: %v", u.GetKind(), u.GetNamespace(), u.GetName(), err)
			}
		}
	}
}

// drift --kubeconfig against a real kube-apiserver with OLM's CRDs gives
// the same findings, in every format, as drift on a dump of the same
// objects.
func TestDriftLive(t *testing.T) {
	if testing.Short() {
		t.Skip("starts kube-apiserver and etcd")
	}
	kubeconfig, cfg := startAPIServer(t)
	client, err := dynamic.NewForConfig(cfg)
	if err != nil {
		t.Fatal(err)
	}
	installCRDs(t, client)
	tests := []struct {
		dump string
		code int
		args []string
	}{
		{dump: "clean.yaml", code: 0},
		{dump: "clean.yaml", code: 0, args: []string{"--index", driftIndex}},
		{dump: "edited.yaml", code: 1},
		{dump: "trouble.yaml", code: 1, args: []string{"--format", "json"}},
		{dump: "trouble.yaml", code: 1, args: []string{"--format", "sarif"}},
	}
	for _, tt := range tests {
		t.Run(tt.dump+" "+strings.Join(tt.args, " "), func(t *testing.T) {
			load(t, client, driftData+tt.dump)
			base := append([]string{"-C", exportCatalog, "drift", "--overlay", "mq=v3.0"}, tt.args...)
			fromDump := run(t, append(base, driftData+tt.dump)...)
			fromLive := run(t, append(base, "--kubeconfig", kubeconfig)...)
			if fromDump.code != tt.code || fromLive.code != tt.code {
				t.Fatalf("exit codes: dump %d, live %d, want %d\n%s\n%s", fromDump.code, fromLive.code, tt.code, fromDump, fromLive)
			}
			if !bytes.Equal([]byte(fromDump.stdout), []byte(fromLive.stdout)) {
				t.Errorf("live and dump differ:\n--- live\n%s--- dump\n%s", fromLive.stdout, fromDump.stdout)
			}
			if tt.code == 1 && !strings.Contains(fromLive.stdout, "drift-") {
				t.Errorf("no drift finding in %s", fromLive.stdout)
			}
		})
	}
	// What the live mode does not cover: a namespace without OLM objects
	// at all is missing everything.
	load(t, client, driftData+"clean.yaml")
	ctx := context.Background()
	if err := client.Resource(resources["Subscription"]).Namespace("mq").DeleteCollection(ctx, metav1.DeleteOptions{}, metav1.ListOptions{}); err != nil {
		t.Fatal(err)
	}
	r := run(t, "-C", exportCatalog, "drift", "--overlay", "mq=v3.0", "--kubeconfig", kubeconfig)
	if r.code != 1 || !strings.Contains(r.stdout, "drift-subscription-missing") {
		t.Errorf("Subscription deleted on the cluster: %s", r)
	}
}
