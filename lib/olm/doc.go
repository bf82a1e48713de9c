// Package olm models the Operator Lifecycle Manager (OLM) objects that an
// opcat catalog is made of: ClusterServiceVersion (CSV) names and the
// semantic versions they carry, subscription channels and the version series
// their names imply, and the Subscription and OperatorGroup objects written
// into a catalog's kustomize base and per-channel overlays.
//
// Everything here is pure: no function reads the network, the file system or
// any package-level mutable state.
package olm
