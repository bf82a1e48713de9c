// Package index reads Operator Lifecycle Manager (OLM) operator indexes
// offline and answers questions about them: which packages and channels a
// catalog offers, which bundle heads a channel, which channels contain a
// ClusterServiceVersion (CSV), and how many upgrade steps separate a CSV from
// the head of its channel.
//
// # Formats
//
// [Load] accepts a file or a folder and detects the format of every
// .yaml, .yml and .json file from its content, so several formats may mix in
// one tree:
//
//   - File-Based Catalogs (FBC) as `opm render` writes them: JSON or YAML
//     document streams with the schemas olm.package, olm.channel, olm.bundle
//     and olm.deprecations, either one big file or a folder per package.
//   - olm.template.basic catalog templates. Their bundles are usually named
//     only by image; such bundles are kept in [Package.Unnamed] unless a
//     rendered olm.bundle with the same image is loaded as well.
//   - Bundle folders: <version>/metadata/annotations.yaml (package, channels,
//     default channel) next to <version>/manifests/*.clusterserviceversion.yaml
//     (name, version, replaces, skips, olm.skipRange, install modes). A
//     version folder without a CSV cannot be named and lands in
//     [Package.Unnamed]. A ci.yaml with "updateGraph: semver-mode" in a parent
//     folder makes every bundle of a channel replace the next lower version,
//     as the community-operators pipelines do.
//   - Package manifests: *.package.yaml or package.yaml (packageName,
//     channels with currentCSV, defaultChannel) with CSVs in the version
//     folders below; each channel is the replaces chain from its currentCSV.
//   - The output of `oc get packagemanifests -o yaml` (or -o json): a List of
//     PackageManifest objects, which only tells the channel heads
//     (currentCSV) with their version and install modes. Items whose
//     status.catalogSource differs from [Options.Source] are dropped when a
//     source is given.
//
// Files that contain nothing recognisable (release configurations, ci.yaml
// without updateGraph, arbitrary Kubernetes YAML) are skipped silently,
// unknown FBC schemas are ignored, and malformed files fail with an error
// "unable to read index FILE[:LINE]: ..." naming the file and, where
// possible, the line.
//
// # Memory
//
// Files are decoded document by document, and the elements of a top-level
// "entries" or "items" sequence (catalog templates, Kubernetes Lists) are
// decoded one at a time as well, so memory grows with the number of
// packages, channels and bundles kept, not with file size. Of an olm.bundle
// only the name, package, version, install modes and image are kept; related
// images and the CSV metadata blob are dropped after reading.
//
// # Upgrade graph
//
// Within a channel an entry E can be reached from the entry it replaces,
// from every entry it skips, and from every version that satisfies its
// skipRange. Versions come from the loaded bundles; when a bundle is not
// known (templates, package manifests without CSVs) the version is read
// from the CSV name suffix (name.vX.Y.Z). [Channel.Head] follows opm: the
// head is the one entry that no other entry replaces or skips.
//
// The package holds no mutable package-level state; an [Index] is not
// modified by its query methods and may be read from several goroutines.
package index
