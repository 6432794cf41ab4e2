/* SPDX-License-Identifier: LGPL-2.1 OR BSD-2-Clause */
/**
 * @file map.h
 * @brief BPF maps from user space: find, open, read, write, iterate, pin.
 *
 * A struct krsi_map wraps one BPF map: a map of a loaded libbpf object, a
 * map file descriptor, or a map pinned in bpffs. Every call that passes a
 * key or a value also passes its size, which must be the map's: a wrong
 * size fails with -EINVAL and a message naming the map and both sizes,
 * never with the kernel reading past the caller's buffer.
 *
 * Values of per-CPU maps (@c BPF_MAP_TYPE_PERCPU_*) hold one slot per
 * possible CPU, each rounded up to 8 bytes: krsi_map__value_size() gives
 * the size user space passes, as the kernel's syscalls expect it.
 *
 * The element calls (lookup, update, delete, next key) and the batch calls
 * may be used from several threads on one handle at once: they only read
 * it. Creating, pinning, unpinning and freeing a handle must be serialised
 * with every other use of it.
 */
#ifndef KRSI_MAP_H
#define KRSI_MAP_H

#include <stdbool.h>
#include <stddef.h>
#include <linux/bpf.h>
#include <krsi/common.h>

#ifdef __cplusplus
extern "C" {
#endif

struct bpf_map;
struct bpf_object;

/** A BPF map, as seen from user space. Opaque. */
struct krsi_map;

/**
 * @brief Find a map of a loaded object by name.
 *
 * The handle borrows the object's map: it must be freed before the object
 * is closed.
 *
 * @param obj a libbpf object, already loaded
 * @param name the map's name in the object (as in its BPF source)
 * @return A new handle, or NULL with errno set: EINVAL when @p obj or
 *         @p name is NULL or the object is not loaded; ENOENT when the
 *         object has no map of that name; ENOMEM; or an errno of the
 *         kernel's @c BPF_OBJ_GET_INFO_BY_FD.
 *
 * Thread-safe.
 */
KRSI_API struct krsi_map *krsi_map__find(const struct bpf_object *obj,
					 const char *name);

/**
 * @brief Wrap a map of a loaded libbpf object.
 *
 * The handle borrows @p map: it must be freed before the object is closed.
 *
 * @param map the map, whose object is loaded
 * @return A new handle, or NULL with errno set: EINVAL when @p map is NULL
 *         or not created yet (its object is not loaded); ENOMEM; or an
 *         errno of the kernel's @c BPF_OBJ_GET_INFO_BY_FD.
 *
 * Thread-safe.
 */
KRSI_API struct krsi_map *krsi_map__new(struct bpf_map *map);

/**
 * @brief Wrap a map file descriptor.
 *
 * The handle works on its own duplicate of @p fd (close-on-exec), closed by
 * krsi_map__free(): the caller keeps @p fd and closes it when it wants.
 *
 * @param fd a BPF map file descriptor
 * @return A new handle, or NULL with errno set: EBADF when @p fd is not an
 *         open file descriptor; EINVAL when it is not a BPF map; EMFILE;
 *         ENOMEM; or an errno of the kernel's @c BPF_OBJ_GET_INFO_BY_FD.
 *
 * Thread-safe.
 */
KRSI_API struct krsi_map *krsi_map__new_fd(int fd);

/** Options of krsi_map__open_pinned(). Declare with KRSI_OPTS(). */
struct krsi_map_open_opts {
	/** sizeof(struct krsi_map_open_opts), set by KRSI_OPTS(). */
	size_t sz;
	/**
	 * Open the map read-only: lookups work, writes fail with -EPERM, and
	 * the pin's file permissions need only allow reading.
	 */
	bool read_only;
	/**
	 * Trust a pin whatever its owner. By default a pin must be owned by
	 * the effective uid or by root, must not be writable by group or
	 * others, and must be in a directory with the same properties (or
	 * with the sticky bit), so that no other user can have planted or
	 * replaced the map.
	 */
	bool any_owner;
};

/**
 * @brief Open a map pinned in a BPF filesystem.
 *
 * Unless @c opts->any_owner is set, the pin and its directory are checked
 * first (see struct krsi_map_open_opts::any_owner); symbolic links are
 * resolved before the check.
 *
 * @param path the pin's path, such as "/sys/fs/bpf/krsi/guard/krsi_ctl"
 * @param opts options, or NULL for the defaults
 * @return A new handle, or NULL with errno set: EINVAL when @p path is
 *         NULL, @p opts is invalid, or the pin is not a map; ENOENT when
 *         nothing is pinned at @p path; EPERM when the pin or its directory
 *         is owned or writable by another user, or the caller lacks
 *         CAP_BPF; EACCES when the pin's permissions refuse the access;
 *         ENOMEM; or another errno of the kernel's @c BPF_OBJ_GET.
 *
 * Thread-safe.
 */
KRSI_API struct krsi_map *
krsi_map__open_pinned(const char *path, const struct krsi_map_open_opts *opts);

/**
 * @brief Free a handle, closing its file descriptor if it owns one.
 *
 * A map pinned with krsi_map__pin() stays pinned.
 *
 * @param map the handle, or NULL (then nothing happens)
 *
 * Not thread-safe: no other call may use @p map during or after this one.
 */
KRSI_API void krsi_map__free(struct krsi_map *map);

/**
 * @brief The map's file descriptor, owned by the handle (or its object).
 *
 * @param map the handle
 * @return The file descriptor, or -EINVAL (errno set) when @p map is NULL.
 *
 * Thread-safe.
 */
KRSI_API int krsi_map__fd(const struct krsi_map *map);

/**
 * @brief The libbpf map the handle was made from.
 *
 * @param map the handle
 * @return The map given to krsi_map__new() or found by
 *         krsi_map__find(); NULL with errno set to ENOENT for a handle made
 *         from a file descriptor or a pin, or to EINVAL when @p map is NULL.
 *
 * Thread-safe.
 */
KRSI_API struct bpf_map *krsi_map__bpf_map(const struct krsi_map *map);

/**
 * @brief The map's name.
 *
 * @param map the handle
 * @return The name in the object for a libbpf map, else the kernel's
 *         (possibly truncated, possibly empty) name; NULL with errno set to
 *         EINVAL when @p map is NULL.
 *
 * Thread-safe.
 */
KRSI_API const char *krsi_map__name(const struct krsi_map *map);

/**
 * @brief The map's type.
 *
 * @param map the handle
 * @return The type; @c BPF_MAP_TYPE_UNSPEC with errno set to EINVAL when
 *         @p map is NULL.
 *
 * Thread-safe.
 */
KRSI_API enum bpf_map_type krsi_map__type(const struct krsi_map *map);

/**
 * @brief Size of the map's keys in bytes.
 *
 * @param map the handle
 * @return The size; 0 with errno set to EINVAL when @p map is NULL.
 *
 * Thread-safe.
 */
KRSI_API __u32 krsi_map__key_size(const struct krsi_map *map);

/**
 * @brief Size in bytes of one value as user space passes it.
 *
 * For per-CPU maps it is the kernel's value size rounded up to 8, times
 * the number of possible CPUs.
 *
 * @param map the handle
 * @return The size; 0 with errno set to EINVAL when @p map is NULL.
 *
 * Thread-safe.
 */
KRSI_API __u32 krsi_map__value_size(const struct krsi_map *map);

/**
 * @brief The map's capacity, its @c max_entries.
 *
 * @param map the handle
 * @return The capacity; 0 with errno set to EINVAL when @p map is NULL.
 *
 * Thread-safe.
 */
KRSI_API __u32 krsi_map__max_entries(const struct krsi_map *map);

/**
 * @brief Look up one element.
 *
 * A missing key is an answer, not a failure: it returns -ENOENT without a
 * warning.
 *
 * @param map the handle
 * @param key the key
 * @param key_sz size of @p key, which must be krsi_map__key_size()
 * @param value where the value is copied
 * @param value_sz size of @p value, which must be krsi_map__value_size()
 * @param flags 0, or @c BPF_F_LOCK for a value with a spin lock
 * @return 0; -ENOENT when the key is not in the map; -EINVAL for a NULL
 *         argument or a wrong size; -EPERM when the caller may not read the
 *         map; or another negative errno of the kernel's
 *         @c BPF_MAP_LOOKUP_ELEM. errno is set.
 *
 * Thread-safe.
 */
KRSI_API int krsi_map__lookup_elem(const struct krsi_map *map, const void *key,
				   size_t key_sz, void *value, size_t value_sz,
				   __u64 flags);

/**
 * @brief Create or replace one element.
 *
 * @param map the handle
 * @param key the key
 * @param key_sz size of @p key, which must be krsi_map__key_size()
 * @param value the value
 * @param value_sz size of @p value, which must be krsi_map__value_size()
 * @param flags @c BPF_ANY (create or replace), @c BPF_NOEXIST (create
 *        only) or @c BPF_EXIST (replace only), optionally with
 *        @c BPF_F_LOCK
 * @return 0; -EEXIST when @p flags has @c BPF_NOEXIST and the key exists;
 *         -ENOENT when @p flags has @c BPF_EXIST and it does not; -E2BIG
 *         when the map is full (hash maps) or the index is beyond an
 *         array's end; -ENOSPC when an LPM trie is full; -EINVAL for a NULL
 *         argument, a wrong size or bad flags; -EPERM when the caller may
 *         not write the map (read-only handle, frozen map, missing
 *         capability); -ENOMEM; or another negative errno of the kernel's
 *         @c BPF_MAP_UPDATE_ELEM. errno is set.
 *
 * Thread-safe.
 */
KRSI_API int krsi_map__update_elem(const struct krsi_map *map, const void *key,
				   size_t key_sz, const void *value,
				   size_t value_sz, __u64 flags);

/**
 * @brief Delete one element.
 *
 * @param map the handle
 * @param key the key
 * @param key_sz size of @p key, which must be krsi_map__key_size()
 * @param flags 0
 * @return 0; -ENOENT when the key is not in the map (no warning); -EINVAL
 *         for a NULL argument, a wrong size, or a map type whose elements
 *         cannot be deleted (arrays); -EPERM when the caller may not write
 *         the map; or another negative errno of the kernel's
 *         @c BPF_MAP_DELETE_ELEM. errno is set.
 *
 * Thread-safe.
 */
KRSI_API int krsi_map__delete_elem(const struct krsi_map *map, const void *key,
				   size_t key_sz, __u64 flags);

/**
 * @brief Iterate over keys: the key after @p cur_key.
 *
 * Start with @p cur_key NULL. As with the kernel's @c BPF_MAP_GET_NEXT_KEY,
 * a hash map whose @p cur_key was deleted meanwhile restarts from its first
 * key. krsi_map__for_each() does the whole walk.
 *
 * @param map the handle
 * @param cur_key the current key, or NULL for the first key
 * @param next_key where the next key is copied
 * @param key_sz size of both keys, which must be krsi_map__key_size()
 * @return 0; -ENOENT after the last key (no warning); -EINVAL for a NULL
 *         argument or a wrong size; or another negative errno of the
 *         kernel's @c BPF_MAP_GET_NEXT_KEY. errno is set.
 *
 * Thread-safe.
 */
KRSI_API int krsi_map__get_next_key(const struct krsi_map *map,
				    const void *cur_key, void *next_key,
				    size_t key_sz);

/**
 * @brief Called by krsi_map__for_each() for each element.
 *
 * @param key the element's key, valid during the call
 * @param value its value, valid during the call
 * @param ctx the @p ctx given to krsi_map__for_each()
 * @return 0 to go on; anything else stops the walk, and
 *         krsi_map__for_each() returns it.
 */
typedef int (*krsi_map_elem_fn)(const void *key, const void *value, void *ctx);

/** Options of the batch calls and krsi_map__for_each(). */
struct krsi_map_batch_opts {
	/** sizeof(struct krsi_map_batch_opts), set by KRSI_OPTS(). */
	size_t sz;
	/**
	 * Flags applied to each element: for updates @c BPF_ANY (0),
	 * @c BPF_NOEXIST or @c BPF_EXIST; @c BPF_F_LOCK for lookups and
	 * updates of values with a spin lock; 0 for deletions.
	 */
	__u64 elem_flags;
};

/**
 * @brief Call @p fn for every element of the map.
 *
 * Elements are read many at a time with the kernel's batch lookup where
 * the kernel and map type have it, else one at a time. The walk is not a
 * snapshot: elements changed meanwhile may be seen old, new or not at all,
 * and a hash map changed meanwhile may show an element twice.
 *
 * @param map the handle
 * @param fn called for each element
 * @param ctx passed to @p fn
 * @param opts options (only @c elem_flags is used), or NULL
 * @return 0 after the last element; what @p fn returned when it stopped
 *         the walk; -EINVAL for a NULL @p map or @p fn or invalid @p opts;
 *         -ENOMEM; or another negative errno of the kernel. errno is set
 *         when negative.
 *
 * Thread-safe, but see the note on snapshots.
 */
KRSI_API int krsi_map__for_each(const struct krsi_map *map, krsi_map_elem_fn fn,
				void *ctx,
				const struct krsi_map_batch_opts *opts);

/**
 * @brief Read the map's elements into arrays, from the first.
 *
 * Uses the kernel's @c BPF_MAP_LOOKUP_BATCH where the kernel and map type
 * have it (detected once per handle, reported at debug level), else reads
 * one element at a time. Not a snapshot (see krsi_map__for_each()).
 *
 * @param map the handle
 * @param keys array of @p *count keys
 * @param key_sz size of one key, which must be krsi_map__key_size()
 * @param values array of @p *count values
 * @param value_sz size of one value, which must be krsi_map__value_size()
 * @param count in: how many elements the arrays hold; out: how many were
 *        read
 * @param opts options, or NULL
 * @return 0 when every element was read; -ENOSPC when the map holds more
 *         elements than the arrays (@p *count elements were read, maybe
 *         fewer than the arrays hold: the kernel reads hash maps a bucket
 *         at a time, and stops before a bucket that does not fit);
 *         -EINVAL for a NULL argument, a wrong size or invalid @p opts;
 *         -ENOMEM; or another negative errno of the kernel. errno is set.
 *
 * Thread-safe.
 */
KRSI_API int krsi_map__lookup_batch(const struct krsi_map *map, void *keys,
				    size_t key_sz, void *values,
				    size_t value_sz, __u32 *count,
				    const struct krsi_map_batch_opts *opts);

/**
 * @brief Create or replace many elements.
 *
 * Uses the kernel's @c BPF_MAP_UPDATE_BATCH where available, else updates
 * one element at a time. Elements are written in order and the call stops
 * at the first failure.
 *
 * @param map the handle
 * @param keys array of @p *count keys
 * @param key_sz size of one key, which must be krsi_map__key_size()
 * @param values array of @p *count values
 * @param value_sz size of one value, which must be krsi_map__value_size()
 * @param count in: how many elements to write; out: how many were written
 * @param opts options (@c elem_flags), or NULL
 * @return 0; or the error of the first element that failed, as
 *         krsi_map__update_elem() returns it (-E2BIG or -ENOSPC when the
 *         map is full); -EINVAL for invalid @p opts. errno is set.
 *
 * Thread-safe.
 */
KRSI_API int krsi_map__update_batch(const struct krsi_map *map,
				    const void *keys, size_t key_sz,
				    const void *values, size_t value_sz,
				    __u32 *count,
				    const struct krsi_map_batch_opts *opts);

/**
 * @brief Delete many elements.
 *
 * Uses the kernel's @c BPF_MAP_DELETE_BATCH where available, else deletes
 * one element at a time, in order, stopping at the first failure.
 *
 * @param map the handle
 * @param keys array of @p *count keys
 * @param key_sz size of one key, which must be krsi_map__key_size()
 * @param count in: how many keys to delete; out: how many were deleted
 * @param opts options (@c elem_flags must be 0), or NULL
 * @return 0; -ENOENT when a key was not in the map (those before it were
 *         deleted); or the other errors of krsi_map__delete_elem(); -EINVAL
 *         for invalid @p opts. errno is set.
 *
 * Thread-safe.
 */
KRSI_API int krsi_map__delete_batch(const struct krsi_map *map,
				    const void *keys, size_t key_sz,
				    __u32 *count,
				    const struct krsi_map_batch_opts *opts);

/**
 * @brief Pin the map at a path in a BPF filesystem.
 *
 * The directory must exist. The pin outlives the handle and the process;
 * remove it with krsi_map__unpin().
 *
 * @param map the handle
 * @param path where to pin, such as "/sys/fs/bpf/krsi/guard/krsi_ctl"
 * @return 0; -EINVAL when an argument is NULL or the directory is not on a
 *         BPF filesystem; -EEXIST when @p path exists; -ENOENT when its
 *         directory does not; -EPERM or -EACCES when the caller may not
 *         create it; -ENOMEM; or another negative errno of the kernel's
 *         @c BPF_OBJ_PIN. errno is set.
 *
 * Not thread-safe: serialise calls on the same handle.
 */
KRSI_API int krsi_map__pin(struct krsi_map *map, const char *path);

/**
 * @brief Remove a pin of this map.
 *
 * Only a pin of this very map is removed: a path holding another object is
 * left alone.
 *
 * @param map the handle
 * @param path the pin, or NULL for the path of the handle's last
 *        krsi_map__pin() or krsi_map__open_pinned()
 * @return 0; -EINVAL when @p map is NULL, or @p path is NULL and the handle
 *         knows no pin; -ENOENT when nothing is pinned at the path; -EBUSY
 *         when another object is pinned there; or a negative errno of
 *         @c BPF_OBJ_GET or unlink(). errno is set.
 *
 * Not thread-safe: serialise calls on the same handle.
 */
KRSI_API int krsi_map__unpin(struct krsi_map *map, const char *path);

#ifdef __cplusplus
} /* extern "C" */
#endif

#endif /* KRSI_MAP_H */
