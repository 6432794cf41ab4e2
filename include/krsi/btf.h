/* SPDX-License-Identifier: LGPL-2.1 OR BSD-2-Clause */
/**
 * @file btf.h
 * @brief BTF lookup: the kernel's types, on the running kernel or from any
 *        BTF file.
 *
 * A <tt>struct krsi_btf</tt> is BTF loaded from the running kernel (/sys/kernel/btf/vmlinux)
 * or from a file: raw BTF, or an ELF file (such as vmlinux) with a @c .BTF
 * section. libkrsi checks it before use: a truncated or corrupt file is
 * refused with -EINVAL and a message, never read out of bounds. (The
 * running kernel's /sys/kernel/btf/vmlinux is trusted: the kernel checked
 * it when it booted.)
 *
 * Types are named by their BTF type id, a positive number; the kinds are
 * the kernel's @c BTF_KIND_* values from <linux/btf.h>. The underlying
 * libbpf object stays available through krsi_btf__btf().
 *
 * Example: where is @c pid in <tt>struct task_struct</tt>?
 * @code
 * struct krsi_btf *btf = krsi_btf__load(NULL);
 * KRSI_OPTS(krsi_btf_member, m);
 * int id = krsi_btf__find(btf, "task_struct", BTF_KIND_STRUCT);
 *
 * if (id > 0 && !krsi_btf__find_member(btf, id, "pid", &m))
 *	printf("pid at byte %u\n", m.bit_offset / 8);
 * krsi_btf__free(btf);
 * @endcode
 */
#ifndef KRSI_BTF_H
#define KRSI_BTF_H

#include <stdbool.h>
#include <stddef.h>
#include <linux/types.h>
#include <krsi/common.h>

#ifdef __cplusplus
extern "C" {
#endif

struct btf;

/** BTF, loaded and checked. Opaque. */
struct krsi_btf;

/** Options of krsi_btf__load(). Declare with KRSI_OPTS(). */
struct krsi_btf_opts {
	/** Size of this struct, set by KRSI_OPTS(). */
	size_t sz;
	/**
	 * File to read: raw BTF or an ELF file with a @c .BTF section.
	 * NULL: the running kernel's BTF.
	 */
	const char *path;
	/** Padding: the struct's size is a multiple of size_t. */
	size_t : 0;
};

/**
 * @brief Load and check BTF.
 *
 * Every type reference is checked to be in range, no chain of
 * qualifiers, typedefs, pointers and arrays loops back on itself, and no
 * type renders as C to more than about 4 MiB (anonymous types shared and
 * nested can make a few bytes of BTF render to terabytes), so the lookups
 * below never loop, hang or read out of bounds.
 *
 * @param opts where to read BTF from; NULL for the running kernel
 * @return The BTF, to be freed with krsi_btf__free(); NULL with errno set:
 *         - @c EINVAL: @p opts is invalid, or the data is not valid BTF
 *           (truncated, corrupt, or an ELF file without @c .BTF);
 *         - @c ENOENT: the file does not exist, or the running kernel
 *           exposes no BTF (built without CONFIG_DEBUG_INFO_BTF);
 *         - @c EACCES, @c EPERM: the file cannot be read;
 *         - @c ENOMEM: out of memory.
 *
 * Thread-safe.
 */
KRSI_API struct krsi_btf *krsi_btf__load(const struct krsi_btf_opts *opts);

/**
 * @brief Free BTF loaded by krsi_btf__load().
 *
 * @param btf the BTF; NULL is ignored
 *
 * Not thread-safe: no other call may use @p btf at the same time.
 */
KRSI_API void krsi_btf__free(struct krsi_btf *btf);

/**
 * @brief The libbpf BTF object underneath, for what libkrsi does not offer.
 *
 * @param btf the BTF
 * @return libbpf's object, owned by @p btf; NULL with errno set to
 *         @c EINVAL when @p btf is NULL.
 *
 * Thread-safe.
 */
KRSI_API const struct btf *krsi_btf__btf(const struct krsi_btf *btf);

/**
 * @brief Number of type ids: valid ids run from 1 to this number minus one.
 *
 * @param btf the BTF
 * @return The count; 0 when @p btf is NULL (errno set to @c EINVAL).
 *
 * Thread-safe.
 */
KRSI_API __u32 krsi_btf__type_count(const struct krsi_btf *btf);

/**
 * @brief Find a type by name.
 *
 * With @p kind 0, any kind matches, preferring a struct, then a union, an
 * enum, a typedef, a function, and then any other kind, so "task_struct"
 * finds the struct and "file_open" the function.
 *
 * @param btf the BTF
 * @param name the type's name, without "struct " or "enum " (they are not
 *        part of a BTF name)
 * @param kind a @c BTF_KIND_* value, or 0 for any
 * @return The type id (positive); a negative errno:
 *         - @c -EINVAL: @p btf or @p name is NULL, or @p kind is unknown;
 *         - @c -ENOENT: no such type ("" finds none: anonymous types have
 *           no name).
 *
 * Thread-safe.
 */
KRSI_API int krsi_btf__find(const struct krsi_btf *btf, const char *name,
			    unsigned int kind);

/**
 * @brief The kind of a type.
 *
 * @param btf the BTF
 * @param type_id a type id
 * @return A @c BTF_KIND_* value (0, @c BTF_KIND_UNKN, for void: id 0); a
 *         negative errno: @c -EINVAL when @p btf is NULL or @p type_id is
 *         out of range.
 *
 * Thread-safe.
 */
KRSI_API int krsi_btf__kind(const struct krsi_btf *btf, __u32 type_id);

/**
 * @brief The name of a type.
 *
 * @param btf the BTF
 * @param type_id a type id
 * @return The name, owned by @p btf; "" for an anonymous type or void;
 *         NULL with errno set to @c EINVAL when @p btf is NULL or
 *         @p type_id is out of range.
 *
 * Thread-safe.
 */
KRSI_API const char *krsi_btf__name(const struct krsi_btf *btf, __u32 type_id);

/**
 * @brief A member of a struct or union, as krsi_btf__member() and
 *        krsi_btf__find_member() report it.
 *
 * The caller sets @c sz (declare it with KRSI_OPTS()); libkrsi fills the
 * fields that fit, so the struct can grow in later releases.
 */
struct krsi_btf_member {
	/** Size of this struct, set by the caller (KRSI_OPTS()). */
	size_t sz;
	/** The member's name, owned by the BTF; "" when anonymous. */
	const char *name;
	/** The member's type id. */
	__u32 type_id;
	/**
	 * Offset in bits from the start of the struct or union given, summed
	 * over enclosing anonymous members.
	 */
	__u32 bit_offset;
	/** Width in bits of a bitfield; 0 when the member is not one. */
	__u32 bitfield_size;
};

/**
 * @brief Number of direct members of a struct or union.
 *
 * @param btf the BTF
 * @param type_id a struct or union (typedefs and qualifiers are followed)
 * @return The count; a negative errno: @c -EINVAL when @p btf is NULL,
 *         @p type_id is out of range or not a struct or union.
 *
 * Thread-safe.
 */
KRSI_API int krsi_btf__member_count(const struct krsi_btf *btf, __u32 type_id);

/**
 * @brief A direct member of a struct or union, by index.
 *
 * @param btf the BTF
 * @param type_id a struct or union (typedefs and qualifiers are followed)
 * @param index from 0 to krsi_btf__member_count() - 1
 * @param member filled in; its @c sz must be set
 * @return 0; a negative errno:
 *         - @c -EINVAL: a NULL argument, @p member's @c sz too small,
 *           @p type_id out of range or not a struct or union;
 *         - @c -ENOENT: @p index is past the last member.
 *
 * Thread-safe.
 */
KRSI_API int krsi_btf__member(const struct krsi_btf *btf, __u32 type_id,
			      unsigned int index,
			      struct krsi_btf_member *member);

/**
 * @brief A member of a struct or union, by name, as C finds it: members of
 *        anonymous struct and union members count as the outer type's.
 *
 * @param btf the BTF
 * @param type_id a struct or union (typedefs and qualifiers are followed)
 * @param name the member's name
 * @param member filled in, its offset from the start of @p type_id; its
 *        @c sz must be set
 * @return 0; a negative errno:
 *         - @c -EINVAL: a NULL argument, @p member's @c sz too small,
 *           @p type_id out of range or not a struct or union;
 *         - @c -ENOENT: no such member.
 *
 * Thread-safe.
 */
KRSI_API int krsi_btf__find_member(const struct krsi_btf *btf, __u32 type_id,
				   const char *name,
				   struct krsi_btf_member *member);

/**
 * @brief The value of an enumerator.
 *
 * @param btf the BTF
 * @param type_id an enum (32 or 64 bit; typedefs are followed), or 0 to
 *        search every enum
 * @param name the enumerator's name, such as "BPF_LSM_MAC"
 * @param value receives the value (an unsigned 64-bit enumerator above
 *        INT64_MAX is converted as C converts it)
 * @return 0; a negative errno:
 *         - @c -EINVAL: a NULL argument, or @p type_id out of range or not
 *           an enum;
 *         - @c -ENOENT: no such enumerator.
 *
 * Thread-safe.
 */
KRSI_API int krsi_btf__enum_value(const struct krsi_btf *btf, __u32 type_id,
				  const char *name, long long *value);

/**
 * @brief Render a type as C.
 *
 * Structs and unions print with every member, anonymous members inline,
 * and each member's byte offset and size (bit offset and width for
 * bitfields) in a comment; enums with their values; typedefs with their
 * target; functions as their prototype; other types as a type name.
 * Works like snprintf(): the text is cut to fit @p size but the full
 * length is returned.
 *
 * @param btf the BTF
 * @param type_id the type
 * @param buf receives the text, NUL-terminated when @p size > 0
 * @param size size of @p buf; 0 to measure only (@p buf may then be NULL)
 * @return The length of the full text, without the NUL; a negative errno:
 *         @c -EINVAL when @p btf is NULL, @p buf is NULL with @p size > 0,
 *         or @p type_id is out of range; @c -ENOMEM.
 *
 * Thread-safe (calls on one @p btf take turns).
 */
KRSI_API int krsi_btf__format(const struct krsi_btf *btf, __u32 type_id,
			      char *buf, size_t size);

/**
 * @brief Render a declaration of @p name with a type, such as
 *        "struct file *file" or "int (*fn)(void)".
 *
 * Works like snprintf(), as krsi_btf__format() does.
 *
 * @param btf the BTF
 * @param type_id the type
 * @param name the declared name; NULL or "" for the type alone
 * @param buf receives the text, NUL-terminated when @p size > 0
 * @param size size of @p buf; 0 to measure only
 * @return The length of the full text, without the NUL; a negative errno,
 *         as krsi_btf__format() returns.
 *
 * Thread-safe (calls on one @p btf take turns).
 */
KRSI_API int krsi_btf__format_decl(const struct krsi_btf *btf, __u32 type_id,
				   const char *name, char *buf, size_t size);

#ifdef __cplusplus
} /* extern "C" */
#endif

#endif /* KRSI_BTF_H */
