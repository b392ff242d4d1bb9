// A client team's code over the generated kit: three error bodies the live
// seminar server answered (paths in the arguments), decoded and switched on
// with `when`, which the compiler holds to every declared code.
import contract.errors.ApiError
import contract.errors.CreateSeminarErrorCode
import contract.errors.GetSeminarErrorCode
import java.io.File
import kotlin.system.exitProcess

fun advice(code: CreateSeminarErrorCode): String = when (code) {
    CreateSeminarErrorCode.Unauthenticated -> "log in again"
    CreateSeminarErrorCode.ValidationFailed -> "highlight the fields"
    CreateSeminarErrorCode.InstructorRequired -> "only instructors open seminars"
    CreateSeminarErrorCode.AlreadyInCharge -> "you run one already"
    CreateSeminarErrorCode.MalformedBody,
    CreateSeminarErrorCode.UnsupportedMediaType,
    CreateSeminarErrorCode.PayloadTooLarge -> "update the app"
    CreateSeminarErrorCode.Timeout,
    CreateSeminarErrorCode.ServiceUnavailable,
    CreateSeminarErrorCode.Internal -> "try again later"
    is CreateSeminarErrorCode.Unknown -> "show the message: ${code.raw}"
}

fun check(what: String, ok: Boolean) {
    if (!ok) {
        System.err.println("kotlin kit: FAILED: $what")
        exitProcess(1)
    }
}

fun main(args: Array<String>) {
    val (noToken, invalid, missing) = args.map { ApiError.decode(File(it).readText()) }
    check("401 decodes", noToken != null && noToken.requestId.isNotEmpty())
    check("401 is unauthenticated", CreateSeminarErrorCode.of(noToken!!) == CreateSeminarErrorCode.Unauthenticated)
    check("422 is validation_failed with fields", invalid != null &&
        CreateSeminarErrorCode.of(invalid) == CreateSeminarErrorCode.ValidationFailed &&
        invalid.fields.map { it.field }.containsAll(listOf("name", "capacity")))
    check("Korean messages decode", invalid!!.message.any { it in '\uAC00'..'\uD7A3' })
    check("404 is not_found", GetSeminarErrorCode.of(missing!!) == GetSeminarErrorCode.NotFound)
    check("a later code is Unknown", CreateSeminarErrorCode.of("new_code") == CreateSeminarErrorCode.Unknown("new_code"))
    check("not the envelope is null", ApiError.decode("<html>") == null && ApiError.decode("{}") == null)
    println("kotlin kit: ok (${advice(CreateSeminarErrorCode.of(invalid))}; ${invalid.fields.size} fields: ${invalid.fields.joinToString { it.field + " " + it.code }})")
}
