package dev.forumdesk.routing;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The keyword library used when {@code routing.categories} names none: word stems in English,
 * Russian, Spanish, German, French, Italian and Portuguese. Matched case-insensitively with
 * Unicode classes, so {@code \b} also delimits Cyrillic words and keeps a stem from matching
 * inside an unrelated word.
 */
public final class CategoryLibrary {
  /**
   * The library as it was first (English, Russian, Spanish, German): rules recorded with it in
   * running tickets' histories are the built-in library still ({@link #isBuiltIn}).
   */
  public static final Map<String, List<String>> FIRST = defaults();

  /**
   * Order matters: ties go to the first, account before technical, so "update my phone number" is
   * account. The first library and French, Italian and Portuguese stems (audit 9, F7).
   */
  public static final Map<String, List<String>> DEFAULTS = with(FIRST, Map.of(
      "account", List.of(
          "\\b(mot de passe|(me|se) connecter|connexion|identifiant|mon compte|(supprimer|fermer) (mon )?compte|"
              + "adresse e-?mail|inscription|courriel)",
          "\\b(accedere|accesso|nome utente|credenziali|il mio account|(eliminare|chiudere) (il mio )?account|"
              + "registrazion|iscrizion)",
          "\\b(senha|minha conta|(excluir|apagar|encerrar) (a )?(minha )?conta|usuário|cadastr|fazer login)"),
      "billing", List.of(
          "\\b(factur|rembours|paiement|payer|payé|prélev|prélèvement|débit|carte bancaire|argent|reçu|tarif|"
              + "prix|montant)",
          "\\b(fattur|rimbors|pagament|pagato|pagare|addebit|abbonament|carta di credito|soldi|ricevuta|"
              + "prezzo|importo)",
          "\\b(fatura|pagamento|pagar\\b|cobrad|cobran|assinatura|cartão|dinheiro|preço|estorno)"),
      "technical", List.of(
          "\\b(erreur|plant(e|é|ée)\\b|ne marche pas|ne fonctionne pas|ne fonctionne plus|marche plus|bloqué|"
              + "page blanche|télécharg|mise à jour|serveur|appli\\b|application|navigateur|bouton)",
          "\\b(errore|non funziona|si blocca|bloccat|si chiude|applicazione|aggiorna|caricament|non carica|"
              + "sito|pulsante)",
          "\\b(erro\\b|não funciona|trav(a|ou)\\b|falha|fecha sozinho|aplicativo|atualiza|botão|não abre|"
              + "não carrega)")));

  private CategoryLibrary() {}

  /**
   * Whether {@code categories} are the built-in library, as it is or as rules recorded before it
   * grew carry it: weighed by keywords either way, so a replayed run keeps its category.
   */
  public static boolean isBuiltIn(Map<String, List<String>> categories) {
    return categories.equals(DEFAULTS) || categories.equals(FIRST);
  }

  /** {@code base} with {@code more} patterns after each category's own, in {@code base}'s order. */
  private static Map<String, List<String>> with(Map<String, List<String>> base, Map<String, List<String>> more) {
    Map<String, List<String>> m = new LinkedHashMap<>();
    base.forEach((category, patterns) -> m.put(category, java.util.stream.Stream.concat(
        patterns.stream(), more.getOrDefault(category, List.of()).stream()).toList()));
    return Collections.unmodifiableMap(m);
  }

  private static Map<String, List<String>> defaults() {
    Map<String, List<String>> m = new LinkedHashMap<>();
    m.put(
        "account",
        List.of(
            "\\b(sign[ -]?in|sign[ -]?up|log[ -]?in|password|two[- ]factor|2fa|profile|e-?mail address|"
                + "phone number|username|my account|account (deletion|locked|blocked|suspended)|"
                + "(delete|close|deactivate) (my )?account|verif)",
            "\\b(passwort|kennwort|anmeld|konto|profil|benutzername|e-?mail-adresse|registrier)",
            "\\b(contraseñ|iniciar sesi|mi cuenta|(eliminar|borrar|cerrar) (mi )?cuenta|perfil|correo|"
                + "registr|usuario)",
            "\\b(парол|войти|вход|логин|аккаунт|учетн|учётн|профил|почт[аеуыо]|номер телефона|"
                + "удалить (мой )?(аккаунт|профиль)|регистрац)"));
    m.put(
        "billing",
        List.of(
            "\\b(invoice|refund|payment|pay|paid|charg|bill|receipt|subscription|price|pricing|"
                + "credit card|money|discount|coupon|vat\\b|overcharg|trial)",
            "\\b(rechnung|zahlung|erstatt|abbuch|gebühr|bezahl|geld|abos?\\b|abonnement|quittung|preis|"
                + "kreditkarte|zurückbekomm)",
            "\\b(factura|reembols|pago|pagu|cobr|cargo|suscrip|tarjeta|dinero|recibo|importe|precio|"
                + "devol)",
            "\\b(сч[её]т|возврат|оплат|неоплач|плат[её]ж|списа|деньг|средств|подписк|чек|тариф|"
                + "карт[аойуе]|вернуть|стоимост|цен[аыу])"));
    m.put(
        "technical",
        List.of(
            "\\b(error|crash|bug|broken|not working|doesn'?t work|does not work|fail|freez|froze|"
                + "hang|blank|slow|timeout|time out|upload|sync|install|update|apps?\\b|api\\b|server|"
                + "outage|down|page|button|browser|load)",
            "\\b(fehler|absturz|abstürz|stürzt|funktioniert nicht|lädt|hängt|startet nicht|starten|"
                + "server|ausfall|seite|update|apps?\\b)",
            "\\b(fallo|falla|error|no funciona|se cierra|bloquea|no carga|en blanco|página|web|"
                + "aplicaci|servidor|actualiza)",
            "\\b(ошибк|сбо[йи]|не работает|вылета|завис|не загружа|тормоз|глюч|баг|не открыва|"
                + "кнопк|браузер|не нажима|страниц|сервер|приложени|сайт)"));
    return Collections.unmodifiableMap(m);
  }
}
